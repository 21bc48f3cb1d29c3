import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface TargetRules {
  /** Plain http targets (local development, tests). Production refuses them unless allowed. */
  allowHttp: boolean;
  /** Loopback, private, link-local and other non-public addresses (server-side request forgery). */
  allowPrivate: boolean;
}

/** Why this address may not be a target, or undefined for a public unicast address. */
function privateRange(address: string): string | undefined {
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/**
 * Which delivery targets a deployment allows. A host is resolved and every address it resolves to is checked,
 * at registration and again before each delivery (a name can be re-pointed after it was checked).
 */
export async function targetRefusal(url: string, rules: TargetRules): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && rules.allowHttp)) return 'must use https';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (rules.allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return `cannot resolve ${host}`;
  }
  for (const address of addresses) {
    const range = privateRange(address);
    if (range) return `resolves to a ${range} address (${address}), which this deployment does not allow`;
  }
  return undefined;
}
