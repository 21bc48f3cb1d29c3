import type { ApiKeys, StoredApiKey } from '../../application/ports';

export class InMemoryApiKeys implements ApiKeys {
  private readonly bySecret = new Map<string, StoredApiKey>();

  add(secret: string, key: StoredApiKey): void {
    this.bySecret.set(secret, { ...key });
  }

  revoke(secret: string, at: Date): void {
    const key = this.bySecret.get(secret);
    if (key) key.revokedAt = at;
  }

  async findBySecret(presented: string): Promise<StoredApiKey | undefined> {
    const key = this.bySecret.get(presented);
    return key ? { ...key } : undefined;
  }
}
