import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SEOUL_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** yyyyMMdd of the instant in Asia/Seoul (the shop's calendar, whatever the server's zone). */
export function seoulDate(at: Date): string {
  return SEOUL_DATE.format(at).replaceAll('-', '');
}

/** ORD-yyyyMMdd-XXXXXXXX: the Seoul date and 8 random digits or upper-case letters (36⁸ per day). */
export function orderNumber(at: Date, pick: (bound: number) => number = randomInt): string {
  let suffix = '';
  for (let i = 0; i < 8; i++) suffix += ALPHABET[pick(ALPHABET.length)];
  return `ORD-${seoulDate(at)}-${suffix}`;
}
