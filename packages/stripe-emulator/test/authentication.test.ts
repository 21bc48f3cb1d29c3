import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type Stripe from 'stripe';
import { type EmulatorEnv, emulatorForEachTest } from './emulator-support';

let env: EmulatorEnv;
let stripe: Stripe;
emulatorForEachTest((made) => ({ env, stripe } = made));

const basic = (userAndPassword: string) => `Basic ${Buffer.from(userAndPassword).toString('base64')}`;

async function get(path: string, authorization?: string) {
  const response = await fetch(`${env.emulator.url}${path}`, authorization === undefined ? {} : { headers: { Authorization: authorization } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const NO_KEY = {
  error: {
    type: 'invalid_request_error',
    message:
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
      'See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.',
  },
};

describe('the emulator: API keys as Stripe takes them', () => {
  it('takes the key as the username of Basic auth (curl -u sk_test_…:) and finds the same account as Bearer', async () => {
    const customer = await stripe.customers.create({ name: 'Ada' });
    const viaBasic = await get(`/v1/customers/${customer.id}`, basic('sk_test_acme:'));
    expect(viaBasic).toMatchObject({ status: 200, body: { id: customer.id, name: 'Ada' } });
    const viaBearer = await get(`/v1/customers/${customer.id}`, 'Bearer sk_test_acme');
    expect(viaBearer.body).toEqual(viaBasic.body);
  });

  it('ignores a Basic password and reads the scheme without regard to case, as HTTP does', async () => {
    const customer = await stripe.customers.create({});
    expect((await get(`/v1/customers/${customer.id}`, basic('sk_test_acme:anything'))).status).toBe(200);
    expect((await get(`/v1/customers/${customer.id}`, basic('sk_test_acme').replace('Basic', 'basic'))).status).toBe(200);
    expect((await get(`/v1/customers/${customer.id}`, 'bearer sk_test_acme')).status).toBe(200);
  });

  it('keeps each account and mode to itself through Basic auth too', async () => {
    const customer = await stripe.customers.create({});
    const other = await get(`/v1/customers/${customer.id}`, basic('sk_test_other:'));
    expect(other).toMatchObject({ status: 404, body: { error: { code: 'resource_missing' } } });
    expect((await get(`/v1/customers/${customer.id}`, basic('sk_live_acme:'))).status).toBe(404);
  });

  it("answers Stripe's 401 when no key is given: no header, an empty Basic username, another scheme", async () => {
    expect(await get('/v1/customers')).toEqual({ status: 401, body: NO_KEY });
    expect(await get('/v1/customers', basic(':sk_test_acme'))).toEqual({ status: 401, body: NO_KEY });
    expect(await get('/v1/customers', 'Token sk_test_acme')).toEqual({ status: 401, body: NO_KEY });
  });

  it("answers Stripe's 401 for a malformed key, whichever way it came", async () => {
    const expected = { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: pk_test_****acme' } } };
    expect(await get('/v1/customers', basic('pk_test_acme:'))).toEqual(expected);
    expect(await get('/v1/customers', 'Bearer pk_test_acme')).toEqual(expected);
  });

  const curl = ['/usr/bin/curl', '/bin/curl'].find((path) => existsSync(path));
  (curl ? it : it.skip)('answers an ordinary `curl -u sk_test_…:` (skipped where curl is not installed)', async () => {
    const created = await stripe.customers.create({ email: 'curl@example.com' });
    const { stdout } = await promisify(execFile)(curl!, ['-s', '-u', 'sk_test_acme:', `${env.emulator.url}/v1/customers?email=curl@example.com`]);
    expect(JSON.parse(stdout)).toMatchObject({ object: 'list', url: '/v1/customers', data: [{ id: created.id }] });
  });
});
