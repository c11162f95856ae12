import { afterCommit, defineService, type Kysely, type Service, sql } from '@sagamart/kit';
import { startTestService, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';

interface Tables {
  counters: { id: string; n: number };
}

/**
 * PostgreSQL ends one of two transactions that lock the same rows in opposite orders (40P01) and
 * asks the application to run it again; `ctx.transaction` does so once, so the caller sees its work
 * done rather than an error it could do nothing about.
 */
describe('ctx.transaction on a deadlock or serialization failure', () => {
  const running: Service<Tables>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  async function start() {
    const service = await startTestService(
      defineService<Tables>({
        name: uniqueName('transaction-retry'),
        port: 0,
        migrations: {
          '0001': {
            up: async (db: Kysely<unknown>) => {
              await db.schema
                .createTable('counters')
                .addColumn('id', 'text', (c) => c.primaryKey())
                .addColumn('n', 'integer', (c) => c.notNull())
                .execute();
              await sql`insert into counters values ('a', 0), ('b', 0)`.execute(db);
            },
          },
        },
      }),
    );
    running.push(service);
    return service.context;
  }

  it('runs the transaction PostgreSQL chose as the deadlock victim once more, and only its committed run is heard', async () => {
    const ctx = await start();
    const committed: string[] = [];
    const runs = { first: 0, second: 0 };
    // Each transaction takes its first row, waits until the other holds its own, then asks for the other's.
    let holdFirst!: () => void;
    let holdSecond!: () => void;
    const firstHolds = new Promise<void>((resolve) => (holdFirst = resolve));
    const secondHolds = new Promise<void>((resolve) => (holdSecond = resolve));
    const bump = (
      name: 'first' | 'second',
      rows: [string, string],
      holds: () => void,
      other: Promise<void>,
    ) =>
      ctx.transaction(async (trx) => {
        runs[name]++;
        const bumpRow = (id: string) =>
          trx
            .updateTable('counters')
            .set((eb) => ({ n: eb('n', '+', 1) }))
            .where('id', '=', id)
            .execute();
        await bumpRow(rows[0]);
        holds();
        await other;
        await bumpRow(rows[1]);
        afterCommit(trx, () => committed.push(name));
      });
    await Promise.all([
      bump('first', ['a', 'b'], holdFirst, secondHolds),
      bump('second', ['b', 'a'], holdSecond, firstHolds),
    ]);
    expect(runs.first + runs.second).toBe(3);
    expect(committed.sort()).toEqual(['first', 'second']);
    const rows = await ctx.db.selectFrom('counters').select(['id', 'n']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a', n: 2 },
      { id: 'b', n: 2 },
    ]);
  });

  it('runs again only once, and never for other errors', async () => {
    const ctx = await start();
    let runs = 0;
    const serializationFailure = () =>
      Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
    await expect(
      ctx.transaction(async () => {
        runs++;
        throw serializationFailure();
      }),
    ).rejects.toMatchObject({ code: '40001' });
    expect(runs).toBe(2);

    runs = 0;
    await expect(
      ctx.transaction(async (trx) => {
        runs++;
        await sql`insert into counters values ('a', 0)`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
  });
});
