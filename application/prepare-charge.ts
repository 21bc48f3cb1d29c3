import { inject, injectable } from 'inversify';
import { Forbidden, PriceNotUsable, TaxRateNotApplicable } from '../domain/errors';
import type { UserId } from '../domain/ids';
import { Invoice } from '../domain/invoice';
import { stripeModeOf } from '../domain/modes';
import type { Caller } from './caller';
import { BillingProvider, type StripeAccount } from './billing-provider';
import type { InvoiceRequest } from './invoice-request';
import { StripeAccounts } from './ports';
import { TenantAccess } from './tenant-access';

/** Everything needed to charge, once the caller is known to be allowed to. */
export interface PreparedCharge {
  userId: UserId;
  account: StripeAccount;
  invoice: Invoice;
}

/** Authorizes the caller for the tenant and user, and drafts the invoice from Stripe's price and tax rate. */
@injectable()
export class PrepareCharge {
  constructor(
    @inject(TenantAccess) private readonly access: TenantAccess,
    @inject(StripeAccounts) private readonly accounts: StripeAccounts,
    @inject(BillingProvider) private readonly billing: BillingProvider,
  ) {}

  async execute(caller: Caller, request: InvoiceRequest): Promise<PreparedCharge> {
    const stripeMode = stripeModeOf(request.test);
    const [tenant, account] = await Promise.all([
      this.access.require(caller, request.tenantId),
      this.accounts.find(caller.appId, stripeMode),
    ]);
    if (!tenant.hasMember(request.userId)) {
      throw new Forbidden('not_a_member', 'The user is not a member of this tenant.');
    }
    const customer = tenant.customerIn(stripeMode);
    if (!customer) {
      throw new Forbidden('no_customer', `The tenant has no Stripe customer in ${stripeMode} mode.`);
    }
    if (!account) {
      throw new Forbidden('no_stripe_account', `This app has no Stripe ${stripeMode} secret key configured.`);
    }

    const [price, taxPolicy] = await Promise.all([
      this.billing.findPrice(account, request.priceId),
      this.billing.findTaxRate(account, request.taxRateId),
    ]);
    if (!price) {
      throw new PriceNotUsable('not_found', `The price ${request.priceId} does not exist in Stripe ${stripeMode} mode.`);
    }
    if (!taxPolicy) {
      throw new TaxRateNotApplicable(
        'not_found',
        `The tax rate ${request.taxRateId} does not exist in Stripe ${stripeMode} mode.`,
      );
    }
    const invoice = Invoice.draft({
      tenant,
      customer,
      stripeMode,
      mode: request.mode,
      price,
      taxPolicy,
      quantity: request.quantity,
      footer: request.footer,
    });
    return { userId: request.userId, account, invoice };
  }
}
