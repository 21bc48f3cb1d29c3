import type { AccountStore } from './account-store';
import type { FormObject } from './form-body';

/** Switches that change how faithfully (or how strictly) the emulator behaves. */
export interface EmulatorSettings {
  /** Base URL for hosted invoice pages. */
  baseUrl: string;
  /**
   * Whether `pay` on a draft finalizes it first (Stripe's reference for finalize says so). Set to false to play the
   * stricter reading, where only open invoices can be paid, and exercise a client's finalize-then-pay fallback.
   */
  payDraftInvoices: boolean;
}

export interface RouteContext {
  store: AccountStore;
  values: FormObject;
  /** The path's captured ids, in order. */
  ids: string[];
  now: number;
  settings: EmulatorSettings;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  /** The operation name used by the request log and the fault switches (`invoice.pay`). */
  operation: string;
  /** The type of object answered (`invoice`, `list:invoice_payment`), against which `expand` is checked. */
  returns: string;
  handle(context: RouteContext): { id: string; object: string } | { object: 'list' | 'search_result' };
}
