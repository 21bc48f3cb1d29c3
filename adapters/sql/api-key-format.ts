import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** A prefix secret scanners can match: `tsinv_` then 32 random base-62 characters, then a 6-character checksum. */
export const API_KEY_PREFIX = 'tsinv_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 32; // 32 × log2(62) ≈ 190 random bits
const CHECKSUM_LENGTH = 6;
const SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

function checksumOf(body: string): string {
  let value = crc32(body);
  let text = '';
  for (let index = 0; index < CHECKSUM_LENGTH; index += 1) {
    text = ALPHABET[value % 62] + text;
    value = Math.floor(value / 62);
  }
  return text;
}

/** A new API key from the operating system's CSPRNG, without modulo bias. */
export function generateApiKey(): string {
  let body = '';
  while (body.length < BODY_LENGTH) {
    for (const byte of randomBytes(BODY_LENGTH)) {
      if (byte < 248 && body.length < BODY_LENGTH) body += ALPHABET[byte % 62]; // 248 = 4 × 62
    }
  }
  return `${API_KEY_PREFIX}${body}${checksumOf(body)}`;
}

/** Shape and checksum: a mistyped or truncated key fails here, before any database lookup. */
export function isWellFormedApiKey(key: string): boolean {
  if (!SHAPE.test(key)) return false;
  const body = key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + BODY_LENGTH);
  return checksumOf(body) === key.slice(-CHECKSUM_LENGTH);
}

/** What the store keeps: the SHA-256 digest of the key, hex. */
export function digestOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function sameDigest(storedHex: string, presentedHex: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  const presented = Buffer.from(presentedHex, 'hex');
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}
