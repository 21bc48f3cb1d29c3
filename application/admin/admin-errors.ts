/** The thing an operator named does not exist (an app, a key, a tenant). */
export class NotFound extends Error {
  readonly code = 'NOT_FOUND';
  constructor(what: string, id: string) {
    super(`No ${what} ${id}.`);
    this.name = 'NotFound';
  }
}

/** The id an operator asked for is taken. */
export class AlreadyExists extends Error {
  readonly code = 'ALREADY_EXISTS';
  constructor(what: string, id: string) {
    super(`A ${what} ${id} already exists.`);
    this.name = 'AlreadyExists';
  }
}

/** The request makes no sense in the current state (rotating a revoked key). */
export class NotAllowed extends Error {
  readonly code = 'NOT_ALLOWED';
  constructor(message: string) {
    super(message);
    this.name = 'NotAllowed';
  }
}
