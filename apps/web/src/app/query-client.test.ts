import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { refetchAfterPush } from './query-client.ts';

/** An order read whose answers the test releases one at a time, as a slow server would. */
function slowOrderReads() {
  const pending: Array<(status: string) => void> = [];
  return {
    queryFn: () => new Promise<string>((resolve) => pending.push(resolve)),
    /** Answers the oldest read still waiting. */
    answer(status: string) {
      pending.shift()?.(status);
    },
    get waiting() {
      return pending.length;
    },
  };
}

describe('refetchAfterPush', () => {
  const clients: QueryClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.clear();
  });

  function watch(queryFn: () => Promise<string>) {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    clients.push(client);
    const observer = new QueryObserver(client, { queryKey: ['me', 'orders', 'detail', 'o-1'], queryFn });
    const unsubscribe = observer.subscribe(() => {});
    return { client, observer, unsubscribe };
  }

  it('reads again when the push comes while the first read is still in flight', async () => {
    const reads = slowOrderReads();
    const { client, observer, unsubscribe } = watch(reads.queryFn);
    expect(reads.waiting).toBe(1); // the first read has left, the order not yet paid

    const refreshed = refetchAfterPush(client, { queryKey: ['me', 'orders'] });
    await Promise.resolve();
    reads.answer('PAYMENT_PENDING'); // the first read's answer, from before the push
    await settleUntil(() => reads.waiting === 1);
    reads.answer('PAID');
    await refreshed;

    expect(observer.getCurrentResult().data).toBe('PAID');
    unsubscribe();
  });

  it('is needed: a plain invalidate joins the read in flight and keeps its older answer', async () => {
    const reads = slowOrderReads();
    const { client, observer, unsubscribe } = watch(reads.queryFn);

    const invalidated = client.invalidateQueries({ queryKey: ['me', 'orders'] });
    reads.answer('PAYMENT_PENDING');
    await invalidated;

    expect(reads.waiting).toBe(0);
    expect(observer.getCurrentResult().data).toBe('PAYMENT_PENDING');
    unsubscribe();
  });
});

/** Lets promise callbacks run until `ready` holds (bounded). */
async function settleUntil(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
  expect(ready()).toBe(true);
}
