const REDACTED = '[redacted]';

/**
 * A secret string (a Stripe secret key) that will not print itself: JSON, string conversion and Node's inspector
 * all show `[redacted]`, so a secret that ends up in a log line or an error body by mistake stays secret.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The one deliberate way to read the secret, for the adapter that must send it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${REDACTED})`;
  }
}
