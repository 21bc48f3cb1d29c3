import type { PriceId, TaxRateId, TenantId, UserId } from '../domain/ids';
import type { InvoiceMode } from '../domain/modes';

/** A validated request to invoice a tenant: plain JSON, so that it can be kept with its Idempotency-Key. */
export interface InvoiceRequest {
  tenantId: TenantId;
  userId: UserId;
  priceId: PriceId;
  taxRateId: TaxRateId;
  mode: InvoiceMode;
  quantity: number;
  test: boolean;
  footer?: string | undefined;
}
