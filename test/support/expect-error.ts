type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** Runs `action` and checks that it throws exactly this error class with this reason. */
export function expectDomainError<E extends Error & { reason: string }>(action: () => unknown, type: ErrorClass<E>, reason: string): E {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as E).reason).toBe(reason);
  return thrown as E;
}

export async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  type: ErrorClass<E>,
  reason?: string,
): Promise<E> {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(type);
  if (reason !== undefined) expect((thrown as E & { reason?: string }).reason).toBe(reason);
  return thrown as E;
}
