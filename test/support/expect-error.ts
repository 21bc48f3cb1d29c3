import type { DomainError } from '../../domain/errors';

type ErrorClass<E extends DomainError> = abstract new (...args: never[]) => E;

/** Runs `action` and checks that it throws exactly this domain error class with this reason. */
export function expectDomainError<E extends DomainError>(action: () => unknown, type: ErrorClass<E>, reason: string): E {
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

export async function expectRejection<E extends DomainError>(
  promise: Promise<unknown>,
  type: ErrorClass<E>,
  reason?: string,
): Promise<E> {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(type);
  if (reason !== undefined) expect((thrown as E).reason).toBe(reason);
  return thrown as E;
}
