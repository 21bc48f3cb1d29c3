import type Stripe from 'stripe';
import { invalidRequest, noSuch } from '../emulator-errors';
import { priceObject, productObject, taxRateObject } from '../objects/catalog';
import { Params } from '../params';
import type { Route, RouteContext } from '../route';

function product({ store, values, now }: RouteContext, raw: Params | undefined): string {
  const params = raw ?? new Params(values, ['name', 'description', 'metadata']);
  const created = store.put(
    store.products,
    productObject(store.base('prod', now, params.metadata()), params.requiredString('name'), params.string('description') ?? null),
  );
  return created.id;
}

function createPrice(context: RouteContext): Stripe.Price {
  const { store, values, now } = context;
  const params = new Params(values, [
    'currency', 'unit_amount', 'product', 'product_data', 'recurring', 'tax_behavior', 'nickname', 'active', 'metadata',
  ]);
  const productData = params.nested('product_data', ['name', 'description', 'metadata']);
  const productId = productData ? product(context, productData) : params.requiredString('product');
  if (!store.products.has(productId)) throw noSuch('product', productId, 'product');
  const unitAmount = params.integer('unit_amount');
  if (unitAmount === undefined || unitAmount < 0) {
    throw invalidRequest('Missing required param: unit_amount.', { code: 'parameter_missing', param: 'unit_amount' });
  }
  const recurring = params.nested('recurring', ['interval', 'interval_count', 'usage_type']);
  return store.put(
    store.prices,
    priceObject(store.base('price', now, params.metadata()), {
      product: productId,
      currency: params.requiredString('currency').toLowerCase(),
      unitAmount,
      taxBehavior: params.oneOf('tax_behavior', ['inclusive', 'exclusive', 'unspecified'] as const) ?? 'unspecified',
      recurring: recurring
        ? {
            interval: recurring.oneOf('interval', ['day', 'week', 'month', 'year'] as const) ?? 'month',
            intervalCount: recurring.integer('interval_count') ?? 1,
            usageType: recurring.oneOf('usage_type', ['licensed', 'metered'] as const) ?? 'licensed',
          }
        : null,
      active: params.boolean('active') ?? true,
      nickname: params.string('nickname') ?? null,
    }),
  );
}

function createTaxRate({ store, values, now }: RouteContext): Stripe.TaxRate {
  const params = new Params(values, [
    'display_name', 'percentage', 'inclusive', 'active', 'country', 'jurisdiction', 'description', 'metadata',
  ]);
  const percentage = params.decimal('percentage');
  if (percentage === undefined || percentage < 0 || percentage > 100) {
    throw invalidRequest('Invalid percentage: must be between 0 and 100.', { param: 'percentage' });
  }
  const inclusive = params.boolean('inclusive');
  if (inclusive === undefined) throw invalidRequest('Missing required param: inclusive.', { code: 'parameter_missing', param: 'inclusive' });
  return store.put(
    store.taxRates,
    taxRateObject(store.base('txr', now, params.metadata()), {
      displayName: params.requiredString('display_name'),
      percentage,
      inclusive,
      active: params.boolean('active') ?? true,
      country: params.string('country')?.toUpperCase() ?? null,
      jurisdiction: params.string('jurisdiction') ?? null,
      description: params.string('description') ?? null,
    }),
  );
}

/** `POST /v1/prices/:id` and `POST /v1/tax_rates/:id`: archiving is what tests need of updates. */
function setActive<T extends { active: boolean; metadata: Stripe.Metadata | null }>(object: T | undefined, context: RouteContext, kind: string): T {
  if (!object) throw noSuch(kind, context.ids[0]!);
  const params = new Params(context.values, ['active', 'metadata']);
  object.active = params.boolean('active') ?? object.active;
  if (params.has('metadata')) object.metadata = { ...object.metadata, ...params.metadata() };
  return object;
}

function found<T>(object: T | undefined, kind: string, id: string): T {
  if (!object) throw noSuch(kind, id);
  return object;
}

export const catalogRoutes: Route[] = [
  {
    method: 'POST', pattern: /^\/v1\/products$/, operation: 'product.create', returns: 'product',
    handle: (context) => context.store.products.get(product(context, undefined))!,
  },
  {
    method: 'GET', pattern: /^\/v1\/products\/([^/]+)$/, operation: 'product.retrieve', returns: 'product',
    handle: ({ store, ids }) => found(store.products.get(ids[0]!), 'product', ids[0]!),
  },
  { method: 'POST', pattern: /^\/v1\/prices$/, operation: 'price.create', returns: 'price', handle: createPrice },
  {
    method: 'GET', pattern: /^\/v1\/prices\/([^/]+)$/, operation: 'price.retrieve', returns: 'price',
    handle: ({ store, ids }) => found(store.prices.get(ids[0]!), 'price', ids[0]!),
  },
  {
    method: 'POST', pattern: /^\/v1\/prices\/([^/]+)$/, operation: 'price.update', returns: 'price',
    handle: (context) => setActive(context.store.prices.get(context.ids[0]!), context, 'price'),
  },
  { method: 'POST', pattern: /^\/v1\/tax_rates$/, operation: 'tax_rate.create', returns: 'tax_rate', handle: createTaxRate },
  {
    method: 'GET', pattern: /^\/v1\/tax_rates\/([^/]+)$/, operation: 'tax_rate.retrieve', returns: 'tax_rate',
    handle: ({ store, ids }) => found(store.taxRates.get(ids[0]!), 'tax_rate', ids[0]!),
  },
  {
    method: 'POST', pattern: /^\/v1\/tax_rates\/([^/]+)$/, operation: 'tax_rate.update', returns: 'tax_rate',
    handle: (context) => setActive(context.store.taxRates.get(context.ids[0]!), context, 'tax_rate'),
  },
];
