import { randomUUID } from 'node:crypto';
import type { Ids } from '../../application/ports';

export class RandomIds implements Ids {
  next(): string {
    return randomUUID();
  }
}
