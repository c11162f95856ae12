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

/**
 * A conflict that survives the one retry is still a concurrent change, not a bug of the server: the
 * caller is told to try again shortly (503 with Retry-After), not that something broke (500).
 */
describe('a transaction that conflicts again on its retry, through HTTP', () => {
  const running: Service<Tables>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('answers 503 problem+json with a trace id and Retry-After', async () => {
    // Called by each run once it has read the row: the test changes the row meanwhile.
    let concurrently: () => Promise<void> = async () => {};
    let runs = 0;
    const service = await startTestService(
      defineService<Tables>({
        name: uniqueName('transaction-conflict'),
        port: 0,
        migrations: {
          '0001': {
            up: async (db: Kysely<unknown>) => {
              await sql`create table counters (id text primary key, n int not null)`.execute(db);
              await sql`insert into counters values ('a', 0)`.execute(db);
            },
          },
        },
        routes(app, ctx) {
          app.post('/bump', async () => {
            await ctx.transaction(async (trx) => {
              runs++;
              await sql`set transaction isolation level repeatable read`.execute(trx);
              await sql`select n from counters where id = 'a'`.execute(trx);
              await concurrently();
              // Another transaction changed the row after this one's snapshot: 40001.
              await sql`update counters set n = n + 1 where id = 'a'`.execute(trx);
            });
            return { bumped: true };
          });
        },
      }),
    );
    running.push(service);
    const db = service.context.db;
    concurrently = async () => {
      await db
        .updateTable('counters')
        .set((eb) => ({ n: eb('n', '+', 10) }))
        .where('id', '=', 'a')
        .execute();
    };

    const res = await fetch(`${service.url}/bump`, { method: 'POST' });
    expect(runs).toBe(2);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    const problem = (await res.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'urn:sagamart:problem:concurrent-change',
      status: 503,
      instance: '/bump',
      retryAfterSeconds: 1,
    });
    expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(problem.detail).toMatch(/at the same time.*try again/i);
    // Nothing of PostgreSQL's own words reaches the caller.
    expect(JSON.stringify(problem)).not.toMatch(/serialize|40001/);

    // Once the other writer is gone, the same request goes through.
    concurrently = async () => {};
    const again = await fetch(`${service.url}/bump`, { method: 'POST' });
    expect(again.status).toBe(200);
  });
});
