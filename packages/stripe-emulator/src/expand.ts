import type { AccountStore } from './account-store';
import { invalidRequest } from './emulator-errors';

const MAX_LEVELS = 4;

/**
 * What each field of each object refers to, for `expand`: an object type (expandable id), `list:<type>`, or
 * `hash:<name>` for a nested hash without an `object` of its own (an invoice payment's `payment`). An invoice's
 * `payments` is includable: absent unless expanded.
 */
const REFERENCES: Record<string, Record<string, string>> = {
  invoice: { customer: 'customer', default_payment_method: 'payment_method', payments: 'list:invoice_payment', latest_revision: 'invoice' },
  invoice_payment: { invoice: 'invoice', payment: 'hash:invoice_payment.payment' },
  'invoice_payment.payment': { payment_intent: 'payment_intent' },
  payment_intent: { customer: 'customer', payment_method: 'payment_method', latest_charge: 'charge' },
  charge: { customer: 'customer', payment_intent: 'payment_intent' },
  refund: { charge: 'charge', payment_intent: 'payment_intent' },
  dispute: { charge: 'charge', payment_intent: 'payment_intent' },
  subscription: { customer: 'customer', latest_invoice: 'invoice', default_payment_method: 'payment_method' },
  customer: { invoice_settings: 'hash:customer.invoice_settings' },
  'customer.invoice_settings': { default_payment_method: 'payment_method' },
  price: { product: 'product' },
  invoiceitem: { customer: 'customer', invoice: 'invoice' },
  payment_method: { customer: 'customer' },
};

/** Refuses, before any work is done, an expansion Stripe would refuse for a response of type `root`. */
export function checkExpansions(root: string, paths: readonly string[]): void {
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_LEVELS) {
      throw invalidRequest(`You cannot expand more than ${MAX_LEVELS} levels of a property. Property: ${path}`, { param: 'expand' });
    }
    let type = root;
    segments.forEach((segment, index) => {
      if (type.startsWith('list:')) {
        if (segment !== 'data') throw notExpandable(path);
        type = type.slice('list:'.length);
        return;
      }
      const target = REFERENCES[type]?.[segment];
      const last = index === segments.length - 1;
      if (!target || (last && target.startsWith('hash:'))) throw notExpandable(path);
      type = target.startsWith('hash:') ? target.slice('hash:'.length) : target;
    });
  }
}

type Node = Record<string, unknown>;

/** A copy of `object` with every (already checked) `expand` path applied. */
export function expand(store: AccountStore, object: object, paths: readonly string[]): object {
  const copy = structuredClone(object) as Node;
  for (const path of paths) apply(store, copy, path.split('.'));
  return copy;
}

function apply(store: AccountStore, node: Node, segments: string[]): void {
  const [field, ...rest] = segments as [string, ...string[]];
  if (node['object'] === 'list') {
    for (const item of node['data'] as Node[]) if (rest.length > 0) apply(store, item, rest);
    return;
  }
  let value = node[field];
  if (field === 'payments' && node['object'] === 'invoice') {
    value = { object: 'list', data: structuredClone(store.paymentsOf(String(node['id']))), has_more: false, url: '/v1/invoice_payments' };
  } else if (typeof value === 'string') {
    const found = store.find(value);
    if (found !== undefined) value = structuredClone(found);
  }
  node[field] = value;
  if (rest.length > 0 && value !== null && typeof value === 'object') apply(store, value as Node, rest);
}

function notExpandable(path: string) {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
}
