import { randomInt } from 'node:crypto';
import { pgOrderNumber } from '@sagamart/contracts';

export { seoulDate } from '@sagamart/contracts';

/** ORD-yyyyMMdd-XXXXXXXX: the Seoul date and 8 random digits or upper-case letters (36⁸ per day). */
export function orderNumber(at: Date, pick: (bound: number) => number = randomInt): string {
  return pgOrderNumber('ORD', at, pick);
}
