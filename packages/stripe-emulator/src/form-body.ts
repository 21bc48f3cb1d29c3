import { invalidRequest } from './emulator-errors';

/** A decoded `application/x-www-form-urlencoded` body in Stripe's nested-bracket style. */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `a[b][0][c]=x&a[b][0][d]=y&e[]=1` → `{ a: { b: [{ c: 'x', d: 'y' }] }, e: ['1'] }`, as Stripe reads it. */
export function decodeForm(text: string): FormObject {
  const root: FormObject = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const key = decode(separator < 0 ? pair : pair.slice(0, separator));
    const value = separator < 0 ? '' : decode(pair.slice(separator + 1));
    assign(root, pathOf(key), value);
  }
  return arraysFromIndices(root) as FormObject;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`Invalid URL encoding: ${part.slice(0, 40)}`);
  }
}

function pathOf(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) throw invalidRequest(`Invalid parameter name: ${key.slice(0, 80)}`);
  const rest = [...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1]!);
  const path = [match[1]!, ...rest];
  if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) throw invalidRequest(`Invalid parameter name: ${key}`);
  return path;
}

function assign(target: FormObject, path: string[], value: string): void {
  let node = target;
  path.forEach((segment, index) => {
    // `key[]` appends: give it the next free index.
    const name = segment === '' ? String(Object.keys(node).length) : segment;
    if (index === path.length - 1) {
      node[name] = value;
      return;
    }
    const next = node[name];
    if (typeof next === 'string') throw invalidRequest(`Invalid parameter: ${path.slice(0, index + 1).join('.')}`);
    node = (next as FormObject | undefined) ?? (node[name] = {});
  });
}

function arraysFromIndices(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((key) => [key, arraysFromIndices(value[key]!)]));
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => converted[key]!);
  }
  return converted;
}
