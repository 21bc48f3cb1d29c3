import { API_KEY_PREFIX, digestOf, generateApiKey, isWellFormedApiKey } from '../../../adapters/sql/api-key-format';

describe('API key format', () => {
  it('has the recognisable prefix, 32 random base-62 characters and a 6-character checksum', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) {
      expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(key).toHaveLength(API_KEY_PREFIX.length + 38);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('catches every single-character typo in the random part by its checksum', () => {
    const key = generateApiKey();
    let caught = 0;
    for (let index = API_KEY_PREFIX.length; index < key.length - 6; index += 1) {
      const replacement = key[index] === 'x' ? 'y' : 'x';
      if (!isWellFormedApiKey(key.slice(0, index) + replacement + key.slice(index + 1))) caught += 1;
    }
    expect(caught).toBe(32);
  });

  it('refuses other shapes, and stores a SHA-256 digest', () => {
    expect(isWellFormedApiKey('tsinv_short')).toBe(false);
    expect(isWellFormedApiKey(`sk_live_${'a'.repeat(38)}`)).toBe(false);
    expect(digestOf('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
