/**
 * Prices and tax rates change rarely (their amounts never), so lookups are cached for a short time: the charge
 * path then costs only the Stripe writes. Concurrent misses for one key share a single lookup.
 */
export class CatalogCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.value as T;
    const pending = this.loading.get(key);
    if (pending) return pending as Promise<T | undefined>;
    const promise = load().then(
      (value) => {
        // Not found is not remembered: an object created a moment later must be seen.
        if (value !== undefined && this.ttlMs > 0) this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
        return value;
      },
    ).finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }
}
