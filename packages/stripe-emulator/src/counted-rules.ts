/**
 * Rules that hit matching requests or deliveries: one with a `probability` hits each match with that chance until
 * removed; otherwise it hits the next `count` matches (default 1) and is used up.
 */
export class CountedRules<R extends { count?: number | undefined; probability?: number | undefined }> {
  private rules: (R & { remaining: number })[] = [];

  add(rule: R): void {
    this.rules.push({ ...rule, remaining: rule.count ?? 1 });
  }

  take(matches: (rule: R) => boolean, random = Math.random): R | undefined {
    for (const rule of this.rules) {
      if (!matches(rule)) continue;
      if (rule.probability !== undefined) {
        if (random() < rule.probability) return rule;
        continue;
      }
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
      return rule;
    }
    return undefined;
  }

  list(): R[] {
    return this.rules.map(({ remaining, ...rule }) => ({ ...rule, ...(rule.probability === undefined ? { count: remaining } : {}) }) as unknown as R);
  }

  clear(): void {
    this.rules = [];
  }
}
