import { invalidRequest } from './emulator-errors';

export type Mode = 'live' | 'test';

const KEY = /^sk_(live|test)_([A-Za-z0-9_]{1,200})$/;

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
  'See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.';

/**
 * The secret key of an `Authorization` header, taken as Stripe takes it: a Bearer token, or the username of HTTP
 * Basic auth (`curl -u sk_test_…:`), whose password Stripe ignores.
 */
function keyOf(authorization: string): string | undefined {
  const match = /^(\S+) (.+)$/.exec(authorization);
  if (!match) return undefined;
  const [, scheme, credentials] = match as unknown as [string, string, string];
  if (scheme.toLowerCase() === 'bearer') return credentials;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return (colon < 0 ? decoded : decoded.slice(0, colon)) || undefined;
}

/** `sk_test_acme` and `sk_live_acme` are the account `acme` in its two modes; anything else answers Stripe's 401. */
export function authenticate(authorization: string | undefined): { account: string; mode: Mode } {
  const key = keyOf(authorization ?? '');
  if (!key) throw invalidRequest(NO_KEY, {}, 401);
  const match = KEY.exec(key);
  if (!match) throw invalidRequest(`Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`, {}, 401);
  return { account: match[2]!, mode: match[1] as Mode };
}
