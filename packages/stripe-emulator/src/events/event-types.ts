import type { AccountStore } from '../account-store';

type Node = Record<string, unknown>;

/** The event name's prefix for each object type, where it is not the type itself. */
const PREFIX: Record<string, string> = { subscription: 'customer.subscription', dispute: 'charge.dispute' };

/** Objects whose changes Stripe does not announce as events of their own here (they show in their parent's). */
const SILENT = new Set(['invoice_payment', 'webhook_endpoint', 'event', 'payment_method', 'invoice_line_item']);

/** Stripe has no `charge.created`: a charge announces itself by its outcome (`charge.succeeded`). */
const NOT_ANNOUNCED_ON_CREATION = new Set(['charge']);

/**
 * The event types a change of one object gives, in the order Stripe sends them: `before` is undefined for an object
 * created by the change. A status transition names its own event (`invoice.paid`, `payment_intent.succeeded`);
 * any other change is `<type>.updated`.
 */
export function eventTypesOf(store: AccountStore, before: Node | undefined, after: Node): string[] {
  const type = String(after['object']);
  if (SILENT.has(type)) return [];
  const prefix = PREFIX[type] ?? type;
  const created = before === undefined && !NOT_ANNOUNCED_ON_CREATION.has(type) ? [`${prefix}.created`] : [];
  const transitions = TRANSITIONS[type]?.(before ?? {}, after, store) ?? [];
  if (before === undefined) return [...created, ...transitions];
  if (transitions.length > 0) return transitions;
  return [`${prefix}.updated`];
}

const changed = (before: Node, after: Node, field: string) => JSON.stringify(before[field]) !== JSON.stringify(after[field]);

const TRANSITIONS: Record<string, (before: Node, after: Node, store: AccountStore) => string[]> = {
  invoice: (before, after, store) => {
    const types: string[] = [];
    const from = (before['status'] as string | undefined) ?? 'draft';
    const to = after['status'] as string;
    if (from === 'draft' && to !== 'draft') types.push('invoice.finalized');
    if (from !== to && to === 'paid') types.push('invoice.paid', 'invoice.payment_succeeded');
    if (from !== to && to === 'void') types.push('invoice.voided');
    if (from !== to && to === 'uncollectible') types.push('invoice.marked_uncollectible');
    const attempted = Number(after['attempt_count']) > Number(before['attempt_count'] ?? 0);
    if (attempted && to === 'open') {
      const intent = store.intentOfInvoice(String(after['id']));
      types.push(intent?.status === 'requires_action' ? 'invoice.payment_action_required' : 'invoice.payment_failed');
    }
    return types;
  },
  payment_intent: (before, after) => {
    if (!changed(before, after, 'status') && !changed(before, after, 'last_payment_error')) return [];
    switch (after['status']) {
      case 'succeeded':
        return ['payment_intent.succeeded'];
      case 'requires_action':
        return ['payment_intent.requires_action'];
      case 'processing':
        return ['payment_intent.processing'];
      case 'canceled':
        return ['payment_intent.canceled'];
      case 'requires_payment_method':
        return after['last_payment_error'] ? ['payment_intent.payment_failed'] : [];
      default:
        return [];
    }
  },
  charge: (before, after) => {
    const types: string[] = [];
    if (before['id'] === undefined && after['status'] === 'succeeded') types.push('charge.succeeded');
    if (Number(after['amount_refunded']) > Number(before['amount_refunded'] ?? 0)) types.push('charge.refunded');
    return types;
  },
  dispute: (before, after) =>
    before['id'] !== undefined && changed(before, after, 'status') && ['won', 'lost'].includes(String(after['status']))
      ? ['charge.dispute.closed']
      : [],
  subscription: (before, after) =>
    before['id'] !== undefined && after['status'] === 'canceled' && before['status'] !== 'canceled' ? ['customer.subscription.deleted'] : [],
  'test_helpers.test_clock': (before, after) =>
    before['id'] !== undefined && changed(before, after, 'frozen_time') ? ['test_helpers.test_clock.ready'] : [],
};

/** Stripe's `previous_attributes`: the top-level fields that changed, with the values they had. */
export function previousAttributes(before: Node, after: Node): Node {
  return Object.fromEntries(Object.keys(before).filter((field) => changed(before, after, field)).map((field) => [field, before[field]]));
}
