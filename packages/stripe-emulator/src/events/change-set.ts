/**
 * What one request (or one control action) changed in an account: the objects it touched, each with how it looked
 * before the first change (undefined for an object it created), in the order they were first touched. Events are
 * derived from it once the request is done.
 */
export class ChangeSet {
  private readonly before = new Map<string, string | undefined>();

  touch(object: { id: string }, created: boolean): void {
    if (!this.before.has(object.id)) this.before.set(object.id, created ? undefined : JSON.stringify(object));
  }

  entries(): [id: string, before: string | undefined][] {
    return [...this.before.entries()];
  }
}
