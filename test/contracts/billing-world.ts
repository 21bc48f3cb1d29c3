import type { BillingProvider, StripeAccount } from '../../application/billing-provider';
import { ChargeInvoice, type ChargeRun } from '../../application/charge-invoice';
import { ChargeLookup } from '../../application/charge-lookup';
import { NOT_STARTED, type ChargeProgress } from '../../application/charge-progress';
import { Invoice } from '../../domain/invoice';
import {
  parseAppId,
  parseCustomerId,
  parseOperationId,
  parsePriceId,
  parseTaxRateId,
  parseTenantId,
  type OperationId,
} from '../../domain/ids';
import type { InvoiceMode } from '../../domain/modes';
import { Tenant } from '../../domain/tenant';
import type { SeededAccount } from '@tenant-stripe-invoices/stripe-emulator';

/** One implementation of the billing port with an account seeded by `seedTestAccount`, and a way to look inside. */
export interface BillingWorld {
  billing: BillingProvider;
  test: StripeAccount;
  seeded: SeededAccount;
  /** A live-mode account of the same app, where the implementation can have one (not real Stripe in CI). */
  live?: StripeAccount;
  invoiceStatus(id: string): Promise<string>;
  subscriptionStatus(id: string): Promise<string>;
  /** How many invoices the account holds, where that can be counted. */
  invoiceCount?(): Promise<number>;
  /** Makes Stripe forget every idempotency key, as 24 hours would (not possible on real Stripe). */
  forgetIdempotencyKeys?(): Promise<void>;
  close(): Promise<void>;
}

let sequence = 0;
export function newOperationId(): OperationId {
  sequence += 1;
  const random = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  return parseOperationId(`${random}-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`);
}

/** Drafts an invoice the way the use case does: price and tax rate as the billing provider reports them. */
export async function draftFor(
  world: BillingWorld,
  options: { customer: string; mode: InvoiceMode; price: string; taxRate: string; quantity?: number; footer?: string; account?: StripeAccount },
): Promise<Invoice> {
  const account = options.account ?? world.test;
  const price = await world.billing.findPrice(account, parsePriceId(options.price));
  const taxPolicy = await world.billing.findTaxRate(account, parseTaxRateId(options.taxRate));
  if (!price || !taxPolicy) throw new Error(`seeded price ${options.price} or tax rate ${options.taxRate} not found`);
  return Invoice.draft({
    tenant: Tenant.create({
      id: parseTenantId('e0000000-0000-4000-8000-000000000001'),
      appId: parseAppId('a0000000-0000-4000-8000-00000000000a'),
      members: [],
      customers: {},
    }),
    customer: parseCustomerId(options.customer),
    stripeMode: account.mode,
    mode: options.mode,
    price,
    taxPolicy,
    quantity: options.quantity ?? 1,
    footer: options.footer,
  });
}

/** The same draft naming another price: what a stale price cache could produce, for Stripe's own check to catch. */
export function withPrice(invoice: Invoice, priceId: string): Invoice {
  return Object.assign(Object.create(Invoice.prototype) as Invoice, invoice, { priceId: parsePriceId(priceId) });
}

export function metadataFor(operationId: OperationId): Record<string, string> {
  return { tenantId: 'e0000000-0000-4000-8000-000000000001', userId: 'd0000000-0000-4000-8000-000000000001', operationId };
}

/** A charge run as the use case makes it: a new operation (or a resumed one), its checkpoints recorded. */
export function chargeRun(
  account: StripeAccount,
  invoice: Invoice,
  operationId: OperationId = newOperationId(),
  resumeFrom: ChargeProgress = NOT_STARTED,
  takenOver = false,
): ChargeRun & { checkpoints: ChargeProgress[] } {
  const checkpoints: ChargeProgress[] = [];
  return {
    account, invoice, operationId, metadata: metadataFor(operationId), resumeFrom, takenOver, checkpoints,
    checkpoint: async (progress) => void checkpoints.push(progress),
  };
}

/** The application's one state machine and lookup, over a billing provider: what the contract suite runs. */
export function chargeMachine(billing: BillingProvider) {
  const lookup = new ChargeLookup(billing);
  return { charge: new ChargeInvoice(billing, lookup), lookup };
}
