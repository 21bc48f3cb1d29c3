import type { Clock } from '../../application/ports';

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
