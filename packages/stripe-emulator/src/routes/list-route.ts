import type { AccountStore } from '../account-store';
import { PAGE_PARAMS, listPage, type Listed } from '../list-pages';
import { Params } from '../params';
import type { Route } from '../route';

interface ListSpec<T extends Listed> {
  path: string;
  /** The listed object's type: names the operation (`customer.list`) and checks `expand[]=data.…`. */
  object: string;
  /** The filters Stripe documents for this list that the emulator applies; any other parameter is refused. */
  filters: readonly string[];
  objects(store: AccountStore): Iterable<T>;
  /** Reads the filters (refusing a malformed one before any paging) and answers whether an object passes them. */
  matches(params: Params): (object: T) => boolean;
}

export function listRoute<T extends Listed>(spec: ListSpec<T>): Route {
  return {
    method: 'GET', pattern: new RegExp(`^${spec.path}$`), operation: `${spec.object}.list`, returns: `list:${spec.object}`,
    handle: ({ store, values }) => {
      const params = new Params(values, [...spec.filters, ...PAGE_PARAMS]);
      return listPage(spec.objects(store), params, { url: spec.path, kind: spec.object, matches: spec.matches(params) });
    },
  };
}

/** A filter on one field: passes everything when the parameter is absent. */
export function equalTo(params: Params, name: string): (value: unknown) => boolean {
  const wanted = params.string(name);
  return (value) => wanted === undefined || value === wanted;
}

export function flag(params: Params, name: string): (value: boolean) => boolean {
  const wanted = params.boolean(name);
  return (value) => wanted === undefined || value === wanted;
}
