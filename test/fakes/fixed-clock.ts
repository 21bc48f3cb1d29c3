import type { Clock } from '../../application/ports';

/** A clock that stands still until a test moves it. */
export class FixedClock implements Clock {
  constructor(private current = new Date('2026-01-15T10:00:00.000Z')) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}
