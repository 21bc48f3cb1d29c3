import type { Ids } from '../../application/ports';

/** UUIDs that count up from 1 (`00000000-0000-4000-8000-000000000001`), so test failures reproduce. */
export class SequentialIds implements Ids {
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `00000000-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}`;
  }
}
