import { ValidationFailed } from './errors';
import type { AppId, CustomerId, TenantId, UserId } from './ids';
import type { StripeMode } from './modes';

declare const countryBrand: unique symbol;
/** An upper-case ISO 3166-1 alpha-2 code (`DE`, `US`). */
export type CountryCode = string & { readonly [countryBrand]: true };

export function parseCountryCode(raw: string): CountryCode {
  const code = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (!/^[A-Z]{2}$/.test(code)) {
    throw new ValidationFailed('invalid_country', `"${String(raw)}" is not an ISO 3166-1 alpha-2 country code.`);
  }
  return code as CountryCode;
}

export interface TenantProps {
  id: TenantId;
  appId: AppId;
  members: Iterable<UserId>;
  billingCountry?: CountryCode | undefined;
  customers: Partial<Record<StripeMode, CustomerId>>;
}

/** A customer of one app: who may be billed on its behalf, where it is taxed, and its Stripe customer per mode. */
export class Tenant {
  private constructor(
    readonly id: TenantId,
    readonly appId: AppId,
    private readonly members: ReadonlySet<UserId>,
    readonly billingCountry: CountryCode | undefined,
    private readonly customers: Readonly<Partial<Record<StripeMode, CustomerId>>>,
  ) {}

  static create(props: TenantProps): Tenant {
    return new Tenant(props.id, props.appId, new Set(props.members), props.billingCountry, { ...props.customers });
  }

  isOwnedBy(appId: AppId): boolean {
    return this.appId === appId;
  }

  hasMember(userId: UserId): boolean {
    return this.members.has(userId);
  }

  customerIn(mode: StripeMode): CustomerId | undefined {
    return this.customers[mode];
  }
}
