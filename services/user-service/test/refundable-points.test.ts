import { randomInt, randomUUID } from 'node:crypto';
import { PurchaseConfirmed, pgOrderNumber, ReturnCompleted } from '@sagamart/contracts';
import { defineService, type Kysely, sql } from '@sagamart/kit';
import { EventProbe, eventually, startTestService, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashBackedSpend } from '../src/domain/points.ts';
import { migrations, type UserDb } from '../src/infra/schema.ts';
import { asUser, signedUpUser, startWithPayments } from './support.ts';

// Only points paid for at the PG can go back to the card. Earned points (구매확정) used to count too:
// charge 10,000원, spend it on an order, earn 10,000 points, and the charge was refunded in cash.
// Orders spend earned points first; what they took from paid-for points comes back paid-for on a
// cancel (RELEASE) or a return (RETURN), and a charge is refunded only while paid-for points cover it.

describe('refunding a charge: paid-for points only', () => {
  let platform: Awaited<ReturnType<typeof startWithPayments>>;
  let probe: EventProbe;
  beforeAll(async () => {
    platform = await startWithPayments();
    probe = await EventProbe.start(platform.bus);
  });
  afterAll(async () => {
    await probe?.stop();
    await platform?.stop();
  });

  const api = () => platform.userApi;
  const balance = async (userId: string) =>
    (await api().get('/api/users/me/points', asUser(userId))).body.balance as number;
  const chargeOf = async (userId: string, amount: number) => {
    await platform.buy(userId, amount);
    const [charge] = (await api().get('/api/users/me/points/charges', asUser(userId))).body.content;
    return charge.chargeNumber as string;
  };
  const refund = (userId: string, chargeNumber: string) =>
    api().post(`/api/users/me/points/charges/${chargeNumber}/refund`, {}, asUser(userId));
  const orderNumber = () => pgOrderNumber('ORD', new Date(), randomInt);

  /** An order paid with `amount` points: reserved, then committed once the order is paid. */
  async function spend(userId: string, amount: number) {
    const order = { orderId: randomUUID(), orderNumber: orderNumber() };
    const reserved = await api().post('/internal/points/reservations', { ...order, userId, amount });
    expect(reserved.status).toBe(200);
    expect((await api().post(`/internal/points/reservations/${order.orderId}/commit`)).status).toBe(200);
    return order;
  }

  /** 구매확정 of an order (shipping-service's event), waited for until its points are in. */
  async function earn(userId: string, points: number) {
    const before = await balance(userId);
    await probe.publish(PurchaseConfirmed, {
      orderId: randomUUID(),
      orderNumber: orderNumber(),
      userId,
      amountPaid: points * 100,
      pointsAwarded: points,
      auto: false,
      confirmedAt: new Date().toISOString(),
    });
    await eventually(async () => (await balance(userId)) === before + points);
  }

  /** A completed return of `order`'s lines that gives back `points` (shipping-service's event). */
  async function returned(userId: string, order: { orderId: string; orderNumber: string }, points: number) {
    const before = await balance(userId);
    await probe.publish(ReturnCompleted, {
      ...order,
      claimId: randomUUID(),
      userId,
      version: 4,
      items: [{ orderItemId: 1, skuId: 1, quantity: 1, refundAmount: 0, pointsRefund: points }],
      refundAmount: 0,
      pointsRefund: points,
      feeAmount: 0,
      restoreCoupon: false,
      couponId: null,
      wholeOrder: false,
      completedAt: new Date().toISOString(),
    });
    await eventually(async () => (await balance(userId)) === before + points);
  }

  it('refuses a charge spent on an order, even when earned points bring the balance back', async () => {
    const u = await signedUpUser(platform);
    const charge = await chargeOf(u.userId, 10_000);
    await spend(u.userId, 10_000);
    await earn(u.userId, 10_000);
    expect(await balance(u.userId)).toBe(10_000);

    const res = await refund(u.userId, charge);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:sagamart:problem:CHARGE_NOT_REFUNDABLE');
    // Nothing moved: the charge is still paid, the earned points still there to spend.
    const mine = await api().get(`/api/users/me/points/charges/${charge}`, asUser(u.userId));
    expect(mine.body.status).toBe('PAID');
    expect(await balance(u.userId)).toBe(10_000);
  });

  it('says in each charge whether it can be refunded now, by the rule the refund applies', async () => {
    const u = await signedUpUser(platform);
    const charge = await chargeOf(u.userId, 10_000);
    const refundable = async () =>
      (await api().get('/api/users/me/points/charges', asUser(u.userId))).body.content.map(
        (listed: { chargeNumber: string; refundable: boolean }) => [listed.chargeNumber, listed.refundable],
      );
    const oneRefundable = async () =>
      (await api().get(`/api/users/me/points/charges/${charge}`, asUser(u.userId))).body.refundable;
    expect(await refundable()).toEqual([[charge, true]]);

    // Spent, then as many points earned: the balance is back, the charge is still not refundable.
    const order = await spend(u.userId, 10_000);
    await earn(u.userId, 10_000);
    expect(await refundable()).toEqual([[charge, false]]);
    expect(await oneRefundable()).toBe(false);
    expect((await refund(u.userId, charge)).status).toBe(409);

    // The order cancelled: its paid-for points are back, and so is the refund.
    expect((await api().post(`/internal/points/reservations/${order.orderId}/release`)).status).toBe(200);
    expect(await oneRefundable()).toBe(true);
    const refunded = await refund(u.userId, charge);
    expect(refunded.status).toBe(200);
    expect(refunded.body.refundable).toBe(false);
    expect(await refundable()).toEqual([[charge, false]]);
  });

  it('refunds an unspent charge: an order spends the earned points first', async () => {
    const u = await signedUpUser(platform);
    const charge = await chargeOf(u.userId, 10_000);
    await earn(u.userId, 2_000);
    await spend(u.userId, 2_000);

    const res = await refund(u.userId, charge);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('REFUND_REQUESTED');
    expect(await balance(u.userId)).toBe(0);
  });

  it('refunds a charge whose points came back from a cancelled order', async () => {
    const u = await signedUpUser(platform);
    const charge = await chargeOf(u.userId, 10_000);
    const order = await spend(u.userId, 10_000);
    expect((await refund(u.userId, charge)).status).toBe(409);
    expect((await api().post(`/internal/points/reservations/${order.orderId}/release`)).status).toBe(200);

    expect((await refund(u.userId, charge)).status).toBe(200);
    expect(await balance(u.userId)).toBe(0);
  });

  it('refunds a charge once a return has given back the paid-for points an order took', async () => {
    const u = await signedUpUser(platform);
    const charge = await chargeOf(u.userId, 10_000);
    await earn(u.userId, 2_000);
    // 12,000 points: 2,000 earned, then 10,000 paid for.
    const order = await spend(u.userId, 12_000);

    // A first return gives back 4,000 paid-for points: not yet the whole charge.
    await returned(u.userId, order, 4_000);
    expect((await refund(u.userId, charge)).status).toBe(409);
    // The rest: the other 6,000 paid-for points, then the 2,000 earned ones.
    await returned(u.userId, order, 8_000);
    expect(await balance(u.userId)).toBe(12_000);

    expect((await refund(u.userId, charge)).status).toBe(200);
    // The earned points stay, to spend.
    expect(await balance(u.userId)).toBe(2_000);
  });

  // While a rolling update brings paid-for points in, pods of the release before still run beside the
  // new ones on the migrated schema. They know only the balance: a spend there lowers it alone.
  const debitByAnOldPod = (userId: string, points: number) =>
    sql`update point_accounts set balance = balance - ${points} where user_id = ${userId}`.execute(
      platform.user.context.db as Kysely<UserDb>,
    );

  it('takes a debit by an old pod, and never counts more paid-for points than the balance', async () => {
    const u = await signedUpUser(platform);
    const charge = await chargeOf(u.userId, 10_000);
    await debitByAnOldPod(u.userId, 6_000);
    expect(await balance(u.userId)).toBe(4_000);
    // 구매확정 brings the balance above the charge, but 6,000 of its points were spent.
    await earn(u.userId, 20_000);

    const res = await refund(u.userId, charge);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:sagamart:problem:CHARGE_NOT_REFUNDABLE');
    expect(await balance(u.userId)).toBe(24_000);
  });

  it('spends and gives back points after a debit by an old pod', async () => {
    const u = await signedUpUser(platform);
    await chargeOf(u.userId, 10_000);
    await debitByAnOldPod(u.userId, 6_000);
    // The order takes 1,000 of the 4,000 paid-for points left, not more than it spends.
    const order = await spend(u.userId, 1_000);
    expect((await api().post(`/internal/points/reservations/${order.orderId}/release`)).status).toBe(200);
    expect(await balance(u.userId)).toBe(4_000);
    // The 4,000 are paid for: a new charge of 3,000 is refundable.
    const second = await chargeOf(u.userId, 3_000);
    expect((await refund(u.userId, second)).status).toBe(200);
    expect(await balance(u.userId)).toBe(4_000);
  });

  it('splits a spend between earned and paid-for points (pure rule)', () => {
    expect(cashBackedSpend({ balance: 12_000, cashBacked: 10_000 }, 1_500)).toBe(0);
    expect(cashBackedSpend({ balance: 12_000, cashBacked: 10_000 }, 5_000)).toBe(3_000);
    expect(cashBackedSpend({ balance: 10_000, cashBacked: 10_000 }, 10_000)).toBe(10_000);
    expect(cashBackedSpend({ balance: 10_000, cashBacked: 0 }, 10_000)).toBe(0);
  });
});

// Existing accounts: the ledger never said which points an order spent, so 0008 splits them on the
// safe side (earned points counted as unspent), exact for anyone who never earned.
describe('migration 0008: paid-for points of existing accounts', () => {
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0008'));
  const start = (database: string, steps: typeof migrations) =>
    startTestService(defineService({ name: 'user-migrations', port: 0, migrations: steps }), {
      config: { database: { name: database } },
    });

  it('counts the balance as paid for but for what was earned, and orders as paid for when nothing was', async () => {
    const database = uniqueName('t_user_migrate');
    const old = await start(database, before);
    const db = old.context.db as Kysely<UserDb>;
    const user = async (balance: number) => {
      const id = randomUUID();
      await db
        .insertInto('users')
        .values({
          id,
          email: `${id}@example.com`,
          name: 'Kim',
          phone: null,
          role: 'USER',
          status: 'ACTIVE',
          grade: 'NORMAL',
          version: 1,
          credentials_changed_at: null,
        })
        .execute();
      await db.insertInto('point_accounts').values({ user_id: id, balance }).execute();
      return id;
    };
    const ledger = (userId: string, type: 'CHARGE' | 'EARN', amount: number, at: string) =>
      db
        .insertInto('point_ledger')
        .values({
          user_id: userId,
          type,
          amount,
          balance_after: 0,
          reason: null,
          order_id: null,
          created_at: new Date(at),
        })
        .execute();
    const reservation = (
      orderId: string,
      userId: string,
      amount: number,
      state: 'COMMITTED' | 'RELEASED',
      at: string,
    ) =>
      sql`insert into point_reservations (order_id, user_id, amount, state, created_at)
          values (${orderId}, ${userId}, ${amount}, ${state}, ${new Date(at)})`.execute(db);

    // Charged 10,000, spent 3,000 on an order: all paid for.
    const charged = await user(7_000);
    await ledger(charged, 'CHARGE', 10_000, '2025-01-01T00:00:00Z');
    await reservation('order-charged', charged, 3_000, 'COMMITTED', '2025-01-02T00:00:00Z');
    // Charged 10,000, spent 8,500 on an order, then earned 500: 1,500 of 2,000 paid for.
    const earned = await user(2_000);
    await ledger(earned, 'CHARGE', 10_000, '2025-01-01T00:00:00Z');
    await reservation('order-then-earned', earned, 8_500, 'COMMITTED', '2025-01-02T00:00:00Z');
    await ledger(earned, 'EARN', 500, '2025-01-03T00:00:00Z');
    await reservation('order-after-earning', earned, 100, 'COMMITTED', '2025-01-04T00:00:00Z');
    await reservation('order-released', charged, 1_000, 'RELEASED', '2025-01-05T00:00:00Z');
    await old.stop();

    const migrated = await start(database, migrations);
    try {
      const mdb = migrated.context.db as Kysely<UserDb>;
      const accounts = await mdb
        .selectFrom('point_accounts')
        .select(['user_id', 'balance', 'cash_backed'])
        .execute();
      expect(accounts.find((a) => a.user_id === charged)).toMatchObject({
        balance: 7_000,
        cash_backed: 7_000,
      });
      expect(accounts.find((a) => a.user_id === earned)).toMatchObject({
        balance: 2_000,
        cash_backed: 1_500,
      });
      const orders = Object.fromEntries(
        (await mdb.selectFrom('point_reservations').select(['order_id', 'cash_backed']).execute()).map(
          (r) => [r.order_id, r.cash_backed],
        ),
      );
      expect(orders).toEqual({
        'order-charged': 3_000,
        'order-then-earned': 8_500,
        'order-after-earning': 0,
        'order-released': 0,
      });
    } finally {
      await migrated.stop();
    }
  });
});
