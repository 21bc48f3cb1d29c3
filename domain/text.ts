/** A UTF-16 surrogate without its pair: no character at all, and text that Stripe, URLs and UTF-8 cannot carry. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether the string is well-formed Unicode (what `String.prototype.isWellFormed` answers on newer runtimes). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
