/**
 * Waits until `check` holds, looking every `everyMs`; after `withinMs` fails, saying what it saw last (`seen`).
 * The tests' one way to wait for something that happens in the background, instead of sleeping a fixed time.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  options: { withinMs?: number; everyMs?: number; seen?: () => unknown } = {},
): Promise<void> {
  const { withinMs = 5_000, everyMs = 25, seen } = options;
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms${seen ? `; last seen ${JSON.stringify(seen())}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
