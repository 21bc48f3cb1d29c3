import { DomainError, Forbidden, Unauthenticated } from '../../domain/errors';

describe('DomainError', () => {
  it('keeps its name, message and code, but no stack frames', () => {
    const error = new Forbidden('read_key', 'Creating invoices needs a write key.');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('Forbidden');
    expect(error.message).toBe('Creating invoices needs a write key.');
    expect(error.code).toBe('FORBIDDEN');
    expect(error.stack).not.toMatch(/\n\s+at /);
  });

  it('leaves the stack trace limit as it found it, so other errors keep their stacks', () => {
    const before = Error.stackTraceLimit;
    new Unauthenticated('unknown_key');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('a bug').stack).toMatch(/\n\s+at /);
  });
});
