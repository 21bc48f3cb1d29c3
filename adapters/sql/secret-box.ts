import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** A sealed secret cannot be opened: the master key is not the one it was sealed with, or the row was altered. */
export class SecretUnreadable extends Error {
  constructor(what: string) {
    super(`${what} cannot be decrypted: MASTER_KEY is not the key it was stored with, or the stored value was altered.`);
    this.name = 'SecretUnreadable';
  }
}

/** Reads MASTER_KEY: 32 bytes as 64 hex characters or as base64. */
export function parseMasterKey(raw: string): Buffer {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) return Buffer.from(text, 'base64');
  throw new Error('MASTER_KEY must be 32 random bytes, written as 64 hex characters or as base64 (openssl rand -base64 32).');
}

/**
 * AES-256-GCM with a fresh 96-bit IV per seal. The associated data (app and mode) is authenticated but not stored:
 * a sealed key copied to another app's row, or another mode, fails to open.
 */
export class SecretBox {
  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes.');
  }

  /** A value that tells master keys apart without revealing anything of them (an HMAC of a fixed text). */
  keyCheck(): string {
    return createHmac('sha256', this.masterKey).update('tenant-stripe-invoices master key check v1').digest('hex').slice(0, 32);
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
  }

  open(sealed: string, associatedData: string, what: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new SecretUnreadable(what);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.masterKey, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadable(what);
    }
  }
}
