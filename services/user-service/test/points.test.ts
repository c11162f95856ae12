import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, type Pair, signedUpUser, startPair } from './support.ts';

describe('points', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({ user: { points: { maxCharge: 50_000 } } });
  });
  afterAll(async () => {
    await pair.stop();
  });

  it('starts at zero with an empty ledger', async () => {
    const u = await signedUpUser(pair);
    const res = await pair.userApi.get('/api/users/me/points', asUser(u.userId));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      balance: 0,
      ledger: { content: [], page: 0, size: 20, totalElements: 0, totalPages: 0, first: true, last: true },
    });
  });

  it('charges, recording a ledger row per movement, newest first and paged', async () => {
    const u = await signedUpUser(pair);
    for (const amount of [1000, 2500, 300]) {
      const res = await pair.userApi.post('/api/users/me/points/charge', { amount }, asUser(u.userId));
      expect(res.status).toBe(201);
    }
    const first = await pair.userApi.get('/api/users/me/points?page=0&size=2', asUser(u.userId));
    expect(first.body.balance).toBe(3800);
    expect(first.body.ledger).toMatchObject({
      page: 0,
      size: 2,
      totalElements: 3,
      totalPages: 2,
      first: true,
      last: false,
    });
    expect(
      first.body.ledger.content.map((e: { amount: number; balanceAfter: number; type: string }) => [
        e.type,
        e.amount,
        e.balanceAfter,
      ]),
    ).toEqual([
      ['CHARGE', 300, 3800],
      ['CHARGE', 2500, 3500],
    ]);
    const second = await pair.userApi.get('/api/users/me/points?page=1&size=2', asUser(u.userId));
    expect(second.body.ledger.content).toHaveLength(1);
    expect(second.body.ledger.content[0]).toMatchObject({
      amount: 1000,
      balanceAfter: 1000,
      reason: 'Points top-up',
    });
    expect(second.body.ledger.last).toBe(true);
  });

  it('answers a charge with the new balance and its ledger entry', async () => {
    const u = await signedUpUser(pair);
    const res = await pair.userApi.post('/api/users/me/points/charge', { amount: 700 }, asUser(u.userId));
    expect(res.body).toEqual({
      balance: 700,
      entry: {
        id: expect.any(String),
        type: 'CHARGE',
        amount: 700,
        balanceAfter: 700,
        reason: 'Points top-up',
        createdAt: expect.any(String),
      },
    });
  });

  it.each([0, -100, 12.5, 'lots', null, 50_001])('refuses the amount %j with 400', async (amount) => {
    const u = await signedUpUser(pair);
    const res = await pair.userApi.post('/api/users/me/points/charge', { amount }, asUser(u.userId));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('amount');
    expect((await pair.userApi.get('/api/users/me/points', asUser(u.userId))).body.balance).toBe(0);
  });

  it('accepts the configured maximum', async () => {
    const u = await signedUpUser(pair);
    expect(
      (await pair.userApi.post('/api/users/me/points/charge', { amount: 50_000 }, asUser(u.userId))).status,
    ).toBe(201);
  });

  it('keeps the balance and the ledger consistent under concurrent charges', async () => {
    const u = await signedUpUser(pair);
    const amounts = Array.from({ length: 12 }, (_, i) => (i + 1) * 100);
    const results = await Promise.all(
      amounts.map((amount) => pair.userApi.post('/api/users/me/points/charge', { amount }, asUser(u.userId))),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const total = amounts.reduce((a, b) => a + b, 0);
    const res = await pair.userApi.get('/api/users/me/points?size=100', asUser(u.userId));
    expect(res.body.balance).toBe(total);
    const ledger = [...res.body.ledger.content].reverse() as Array<{ amount: number; balanceAfter: number }>;
    expect(ledger).toHaveLength(12);
    // Every row's balanceAfter is the running sum: no two charges read the same balance.
    let running = 0;
    for (const entry of ledger) {
      running += entry.amount;
      expect(entry.balanceAfter).toBe(running);
    }
  });

  it('needs a signed-in user', async () => {
    expect((await pair.userApi.get('/api/users/me/points')).status).toBe(401);
    expect((await pair.userApi.post('/api/users/me/points/charge', { amount: 1 })).status).toBe(401);
  });
});
