import { randomUUID } from 'node:crypto';
import { defineService, type Kysely, sql } from '@sagamart/kit';
import { startTestService, uniqueName } from '@sagamart/testkit';
import { describe, expect, it } from 'vitest';
import { migrations, type UserDb } from '../src/infra/schema.ts';

// A release names the order by the number its reserve was given (kept on the reservation since 0011).
// Orders that held points before 0011 take it from their RESERVE row, so their cancel names them too.
describe('migration 0011: the order number of reservations held before it', () => {
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0011'));
  const start = (database: string, steps: typeof migrations) =>
    startTestService(defineService({ name: 'user-migrations', port: 0, migrations: steps }), {
      config: { database: { name: database } },
    });

  it('gives held and paid reservations the number their use was recorded with', async () => {
    const database = uniqueName('t_user_migrate');
    const old = await start(database, before);
    const db = old.context.db as Kysely<UserDb>;
    const userId = randomUUID();
    await db
      .insertInto('users')
      .values({
        id: userId,
        email: `${userId}@example.com`,
        name: 'Kim',
        phone: null,
        role: 'USER',
        status: 'ACTIVE',
        grade: 'NORMAL',
        version: 1,
        credentials_changed_at: null,
      })
      .execute();
    await db.insertInto('point_accounts').values({ user_id: userId, balance: 5_000 }).execute();
    const held = async (orderId: string, state: string, reason: string | null) => {
      await sql`insert into point_reservations (order_id, user_id, amount, state)
          values (${orderId}, ${userId}, 1000, ${state})`.execute(db);
      await db
        .insertInto('point_ledger')
        .values({
          user_id: userId,
          type: 'RESERVE',
          amount: -1_000,
          balance_after: 0,
          reason,
          order_id: orderId,
        })
        .execute();
    };
    const reserved = randomUUID();
    const committed = randomUUID();
    const released = randomUUID();
    const unnamed = randomUUID();
    await held(reserved, 'RESERVED', 'Used for order ORD-20261208-RESERVE1');
    await held(committed, 'COMMITTED', 'Used for order ORD-20261208-COMMIT22');
    await held(released, 'RELEASED', 'Used for order ORD-20261208-RELEASE3');
    await held(unnamed, 'RESERVED', `Used for order ${unnamed}`);
    await old.stop();

    const migrated = await start(database, migrations);
    try {
      const rows = await (migrated.context.db as Kysely<UserDb>)
        .selectFrom('point_reservations')
        .select(['order_id', 'order_number'])
        .execute();
      expect(Object.fromEntries(rows.map((r) => [r.order_id, r.order_number]))).toEqual({
        [reserved]: 'ORD-20261208-RESERVE1',
        [committed]: 'ORD-20261208-COMMIT22',
        // Given back already: its release row stays as it was written.
        [released]: null,
        // Reserved without a number: its release names it by id, as before.
        [unnamed]: null,
      });
    } finally {
      await migrated.stop();
    }
  });
});
