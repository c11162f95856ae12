import { describe, expect, it } from 'vitest';
import { ChangeWaiters } from '../src/index.ts';

/** A value that changes only when the test says, and counts its reads. */
function source(initial: string) {
  let value = initial;
  let reads = 0;
  return {
    set: (next: string) => {
      value = next;
    },
    read: async () => {
      reads += 1;
      return value;
    },
    reads: () => reads,
  };
}

const MINUTE = 60_000;

describe('ChangeWaiters', () => {
  it('reads again as soon as the key is said to have changed, without waiting for the recheck', async () => {
    const waiters = new ChangeWaiters();
    const order = source('PAYMENT_PENDING');
    const answer = waiters.readUntil('o-1', order.read, (v) => v !== 'PAYMENT_PENDING', {
      waitMs: MINUTE,
      recheckMs: MINUTE,
    });
    await expect.poll(order.reads).toBe(1);
    waiters.changed('o-2'); // another key wakes nobody
    order.set('PAID');
    waiters.changed('o-1');
    await expect(answer).resolves.toBe('PAID');
    expect(order.reads()).toBe(2);
  });

  it('reads again on its own every recheckMs, for a change another instance made', async () => {
    const waiters = new ChangeWaiters();
    const order = source('PAYMENT_PENDING');
    const answer = waiters.readUntil('o-1', order.read, (v) => v === 'PAID', {
      waitMs: MINUTE,
      recheckMs: 5,
    });
    await expect.poll(order.reads).toBeGreaterThanOrEqual(2);
    order.set('PAID');
    await expect(answer).resolves.toBe('PAID');
  });

  it('answers the last read when the wait runs out or the reader leaves', async () => {
    const waiters = new ChangeWaiters();
    const order = source('PAYMENT_PENDING');
    await expect(
      waiters.readUntil('o-1', order.read, () => false, { waitMs: 20, recheckMs: 5 }),
    ).resolves.toBe('PAYMENT_PENDING');

    const gone = new AbortController();
    const before = order.reads();
    const answer = waiters.readUntil('o-1', order.read, () => false, {
      waitMs: MINUTE,
      recheckMs: MINUTE,
      signal: gone.signal,
    });
    await expect.poll(order.reads).toBe(before + 1);
    gone.abort();
    await expect(answer).resolves.toBe('PAYMENT_PENDING');
  });
});
