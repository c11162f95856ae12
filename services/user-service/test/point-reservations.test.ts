import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservationStep } from '../src/domain/points.ts';
import { asUser, signedUpUser, startWithPayments } from './support.ts';

interface LedgerEntry {
  type: string;
  amount: number;
  balanceAfter: number;
}

describe('points reservations for the order saga', () => {
  let pair: Awaited<ReturnType<typeof startWithPayments>>;
  beforeAll(async () => {
    pair = await startWithPayments();
  });
  afterAll(async () => {
    await pair.stop();
  });

  async function userWith(points: number) {
    const u = await signedUpUser(pair);
    await pair.buy(u.userId, points);
    return u.userId;
  }
  const reserve = (orderId: string, userId: string, amount: number) =>
    pair.userApi.post('/internal/points/reservations', { orderId, userId, amount });
  const step = (orderId: string, action: 'commit' | 'release') =>
    pair.userApi.post(`/internal/points/reservations/${orderId}/${action}`);
  const points = async (userId: string) => {
    const res = await pair.userApi.get('/api/users/me/points?size=100', asUser(userId));
    return res.body as { balance: number; ledger: { content: LedgerEntry[] } };
  };
  /** The ledger sums to the balance, and no row left it negative. */
  async function expectLedgerMatchesBalance(userId: string) {
    const { balance, ledger } = await points(userId);
    expect(ledger.content.reduce((sum, e) => sum + e.amount, 0)).toBe(balance);
    expect(ledger.content.every((e) => e.balanceAfter >= 0)).toBe(true);
  }

  it('reserves once per order, commits, and answers repeats with the same reservation', async () => {
    const userId = await userWith(10_000);
    const orderId = randomUUID();
    const first = await reserve(orderId, userId, 3_000);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ orderId, state: 'RESERVED', userId, amount: 3_000, balance: 7_000 });
    expect((await reserve(orderId, userId, 3_000)).body).toEqual(first.body);
    expect((await reserve(orderId, userId, 2_000)).status).toBe(409);

    const committed = await step(orderId, 'commit');
    expect(committed.body).toEqual({ orderId, state: 'COMMITTED', userId, amount: 3_000, balance: 7_000 });
    expect((await step(orderId, 'commit')).body).toEqual(committed.body);
    // The commit is the reservation's state (the shopper's ledger lists only rows that move points):
    // final, so a repeated reserve answers it and takes nothing more, and it moved no points.
    expect((await pair.userApi.get(`/internal/points/reservations/${orderId}`)).body).toEqual(committed.body);
    expect((await reserve(orderId, userId, 3_000)).body).toEqual(committed.body);
    const types = (await points(userId)).ledger.content.map((e) => [e.type, e.amount]);
    expect(types).toEqual([
      ['RESERVE', -3_000],
      ['CHARGE', 10_000],
    ]);
    expect((await pair.userApi.get(`/internal/points/balances/${userId}`)).body).toEqual({
      userId,
      balance: 7_000,
    });
    await expectLedgerMatchesBalance(userId);
  });

  it("leaves the rows that move no points out of the shopper's ledger, so its pages and totals agree", async () => {
    const userId = await userWith(10_000);
    for (const amount of [1_000, 2_000, 3_000]) {
      const orderId = randomUUID();
      await reserve(orderId, userId, amount);
      expect((await step(orderId, 'commit')).body.state).toBe('COMMITTED');
    }
    const page = async (n: number) =>
      (await pair.userApi.get(`/api/users/me/points?page=${n}&size=2`, asUser(userId))).body as {
        ledger: { content: LedgerEntry[]; totalElements: number; totalPages: number; last: boolean };
      };
    const first = await page(0);
    const second = await page(1);
    expect(first.ledger).toMatchObject({ totalElements: 4, totalPages: 2, last: false });
    expect(second.ledger).toMatchObject({ totalElements: 4, totalPages: 2, last: true });
    expect([...first.ledger.content, ...second.ledger.content].map((e) => [e.type, e.amount])).toEqual([
      ['RESERVE', -3_000],
      ['RESERVE', -2_000],
      ['RESERVE', -1_000],
      ['CHARGE', 10_000],
    ]);
  });

  it('gives points back on release, before or after payment, once', async () => {
    const userId = await userWith(5_000);
    const unpaid = randomUUID();
    await reserve(unpaid, userId, 2_000);
    expect((await step(unpaid, 'release')).body).toMatchObject({ state: 'RELEASED', balance: 5_000 });
    expect((await step(unpaid, 'release')).body).toMatchObject({ state: 'RELEASED', balance: 5_000 });
    expect((await step(unpaid, 'commit')).status).toBe(409);

    const paid = randomUUID();
    await reserve(paid, userId, 4_000);
    await step(paid, 'commit');
    expect((await step(paid, 'release')).body).toMatchObject({ state: 'RELEASED', balance: 5_000 });
    const { ledger } = await points(userId);
    expect(ledger.content.filter((e) => e.type === 'RELEASE').map((e) => e.amount)).toEqual([4_000, 2_000]);
    await expectLedgerMatchesBalance(userId);
  });

  it('names the order by its number on the release as on the use, never by its id', async () => {
    const userId = await userWith(5_000);
    const entries = async () =>
      (await pair.userApi.get('/api/users/me/points?size=100', asUser(userId))).body.ledger.content as Array<
        LedgerEntry & { reason: string | null }
      >;
    const unpaid = randomUUID();
    const paid = randomUUID();
    const numbers = { [unpaid]: 'ORD-20261208-UNPAID01', [paid]: 'ORD-20261208-PAID0002' };
    for (const orderId of [unpaid, paid]) {
      const reserved = await pair.userApi.post('/internal/points/reservations', {
        orderId,
        userId,
        amount: 1_000,
        orderNumber: numbers[orderId],
      });
      expect(reserved.status).toBe(200);
    }
    await step(paid, 'commit');
    for (const orderId of [unpaid, paid])
      expect((await step(orderId, 'release')).body.state).toBe('RELEASED');
    const ledger = await entries();
    for (const orderId of [unpaid, paid]) {
      const number = numbers[orderId]!;
      const ofOrder = ledger.filter((e) => e.reason?.includes(number));
      expect(ofOrder.map((e) => e.type).sort()).toEqual(['RELEASE', 'RESERVE']);
    }
    expect(ledger.filter((e) => e.reason?.includes(unpaid) || e.reason?.includes(paid))).toEqual([]);
  });

  it('refuses more than the balance, so it never goes negative, even under concurrent orders', async () => {
    const userId = await userWith(1_000);
    const tooMuch = await reserve(randomUUID(), userId, 1_001);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.type).toBe('urn:sagamart:problem:POINTS_INSUFFICIENT');

    const results = await Promise.all(Array.from({ length: 6 }, () => reserve(randomUUID(), userId, 300)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 409, 409, 409]);
    expect((await points(userId)).balance).toBe(100);
    await expectLedgerMatchesBalance(userId);
  });

  it('leaves a tombstone when a release overtakes its reserve, so the late reserve takes nothing', async () => {
    const userId = await userWith(2_000);
    const orderId = randomUUID();
    const released = await step(orderId, 'release');
    expect(released.body).toEqual({ orderId, state: 'RELEASED', userId: null, amount: 0, balance: null });
    const late = await reserve(orderId, userId, 1_500);
    expect(late.status).toBe(200);
    expect(late.body.state).toBe('RELEASED');
    expect((await points(userId)).balance).toBe(2_000);
    expect((await step(randomUUID(), 'commit')).status).toBe(404);
    expect((await reserve(randomUUID(), randomUUID(), 10)).status).toBe(404);
  });

  it('maps each step to what it does (pure rules)', () => {
    expect(reservationStep(undefined, 'reserve')).toMatchObject({
      kind: 'apply',
      ledger: 'RESERVE',
      sign: -1,
    });
    expect(reservationStep('RESERVED', 'reserve').kind).toBe('same');
    expect(reservationStep('RELEASED', 'reserve').kind).toBe('same');
    expect(reservationStep(undefined, 'commit').kind).toBe('missing');
    expect(reservationStep('RELEASED', 'commit').kind).toBe('conflict');
    expect(reservationStep('COMMITTED', 'release')).toMatchObject({
      kind: 'apply',
      ledger: 'RELEASE',
      sign: 1,
    });
    expect(reservationStep(undefined, 'release').kind).toBe('tombstone');
  });
});
