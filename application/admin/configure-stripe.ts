import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ValidationFailed } from '../../domain/errors';
import { StripeAccountSettings, type StripeKeyStatus } from '../admin-ports';
import { Clock } from '../ports';
import { Secret } from '../secret';
import { ManageApps } from './manage-apps';
import { parseInput } from './parse-input';

const SetKey = z.strictObject({
  appId: z.string(),
  mode: z.enum(['live', 'test']),
  secretKey: z
    .string()
    .trim()
    .regex(
      /^(sk|rk)_(live|test)_[A-Za-z0-9_]{8,250}$/,
      'must be a Stripe secret or restricted key: sk_ or rk_, then live_ or test_, then 8 to 250 letters, digits or underscores (as sk_test_51H…)',
    ),
});

/** Sets each app's Stripe secret key per mode. A test key can never be stored as the live key, or the reverse. */
@injectable()
export class ConfigureStripe {
  constructor(
    @inject(StripeAccountSettings) private readonly settings: StripeAccountSettings,
    @inject(ManageApps) private readonly apps: ManageApps,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async setKey(input: z.input<typeof SetKey>): Promise<StripeKeyStatus> {
    const { appId, mode, secretKey } = parseInput(SetKey, input);
    const keyMode = secretKey.includes('_live_') ? 'live' : 'test';
    if (keyMode !== mode) {
      const message = `a ${keyMode}-mode key cannot be the app's ${mode} key`;
      throw new ValidationFailed('invalid_request', `secretKey: ${message}`, [{ path: 'secretKey', message }]);
    }
    const app = await this.apps.require(appId);
    await this.settings.set(app.id, mode, new Secret(secretKey), this.clock.now());
    const status = (await this.settings.status(app.id)).find((entry) => entry.mode === mode);
    return status!;
  }

  async status(appId: string): Promise<StripeKeyStatus[]> {
    return this.settings.status((await this.apps.require(appId)).id);
  }
}
