import { lookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

export interface TargetRules {
  /** Plain http targets (local development, tests). Production refuses them unless allowed. */
  allowHttp: boolean;
  /** Loopback, private, link-local and other non-public addresses (server-side request forgery). */
  allowPrivate: boolean;
}

// One sentence whatever the address: an app must not learn what its host names resolve to inside the network.
const NOT_PUBLIC = 'resolves to an address that is not public, which this deployment does not allow';

function isPublic(address: string): boolean {
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * What can be told from the URL alone: its scheme, credentials in it, and a literal address. A host name is checked
 * where it is connected to (`guardedLookup`), so that re-pointing the name after a check gains nothing.
 */
export function urlRefusal(url: string, rules: TargetRules): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && rules.allowHttp)) return 'must use https';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  // A literal address tells nothing the app did not write itself: its range may be named.
  if (!rules.allowPrivate && ipaddr.isValid(host) && !isPublic(host)) return `is a ${ipaddr.process(host).range()} address, which this deployment does not allow`;
  return undefined;
}

/** At registration: the URL, and the addresses its host resolves to now. */
export async function targetRefusal(url: string, rules: TargetRules): Promise<string | undefined> {
  const refusal = urlRefusal(url, rules);
  if (refusal || rules.allowPrivate) return refusal;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return undefined;
  return new Promise((resolve) => {
    lookup(host, { all: true }, (error, addresses) => {
      if (error) resolve('cannot be resolved');
      else resolve(addresses.every((entry) => isPublic(entry.address)) ? undefined : NOT_PUBLIC);
    });
  });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the connection itself: the addresses it is about to connect to are the ones checked, so a name
 * that answers a public address to the check and a private one to the connection is still refused.
 */
export function guardedLookup(rules: TargetRules) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true } as { all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (!rules.allowPrivate && !addresses.every((entry) => isPublic(entry.address))) {
        return callback(Object.assign(new Error(NOT_PUBLIC), { code: 'ETARGETREFUSED' }), '');
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
