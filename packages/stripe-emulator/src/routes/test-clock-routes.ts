import type Stripe from 'stripe';
import { invalidRequest, noSuch } from '../emulator-errors';
import { Params } from '../params';
import { advanceClock } from '../renewals';
import type { Route, RouteContext } from '../route';

function clockOf({ store, ids }: RouteContext): Stripe.TestHelpers.TestClock {
  const clock = store.testClocks.get(ids[0]!);
  if (!clock) throw noSuch('test_clock', ids[0]!);
  return clock;
}

function createClock({ store, values, now }: RouteContext): Stripe.TestHelpers.TestClock {
  if (store.livemode) throw invalidRequest('Test clocks are only available in test mode.');
  const params = new Params(values, ['frozen_time', 'name']);
  const frozenTime = params.integer('frozen_time');
  if (frozenTime === undefined) throw invalidRequest('Missing required param: frozen_time.', { code: 'parameter_missing', param: 'frozen_time' });
  return store.put(store.testClocks, {
    id: store.base('clock', now).id,
    object: 'test_helpers.test_clock',
    created: now,
    deletes_after: now + 30 * 86_400,
    frozen_time: frozenTime,
    livemode: false,
    name: params.string('name') ?? null,
    status: 'ready',
    status_details: {},
  });
}

function advance(context: RouteContext): Stripe.TestHelpers.TestClock {
  const clock = clockOf(context);
  const to = new Params(context.values, ['frozen_time']).integer('frozen_time');
  if (to === undefined) throw invalidRequest('Missing required param: frozen_time.', { code: 'parameter_missing', param: 'frozen_time' });
  if (to <= clock.frozen_time) {
    throw invalidRequest('The test clock can only be advanced to a time after its current frozen_time.', { param: 'frozen_time' });
  }
  advanceClock(context.store, clock, to, context.settings.baseUrl);
  return clock;
}

export const testClockRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/test_helpers\/test_clocks$/, operation: 'test_clock.create', returns: 'test_helpers.test_clock', handle: createClock },
  { method: 'GET', pattern: /^\/v1\/test_helpers\/test_clocks\/([^/]+)$/, operation: 'test_clock.retrieve', returns: 'test_helpers.test_clock', handle: clockOf },
  { method: 'POST', pattern: /^\/v1\/test_helpers\/test_clocks\/([^/]+)\/advance$/, operation: 'test_clock.advance', returns: 'test_helpers.test_clock', handle: advance },
  {
    method: 'DELETE', pattern: /^\/v1\/test_helpers\/test_clocks\/([^/]+)$/, operation: 'test_clock.delete', returns: 'test_helpers.test_clock',
    handle: (context) => {
      const clock = clockOf(context);
      context.store.testClocks.delete(clock.id);
      return { id: clock.id, object: 'test_helpers.test_clock', deleted: true };
    },
  },
];
