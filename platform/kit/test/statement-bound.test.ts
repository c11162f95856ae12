import {
  databaseUrl,
  defineService,
  ensureDatabase,
  type Kysely,
  openDatabase,
  type Service,
  sql,
} from '@sagamart/kit';
import { eventually, pgServerUrl, startTestService, tcpProxy, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';

interface Tables {
  counters: { id: string; n: number };
}

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A connection of the test's own, straight to the server and unbounded: it sees what PostgreSQL does. */
function observer(database: string): Kysely<Tables> {
  const opened = openDatabase<Tables>(databaseUrl(pgServerUrl(), database), { max: 2, queryTimeoutMs: 0 });
  cleanup.push(() => opened.close());
  return opened.db;
}

/** Backends of `database` running a statement whose text starts with `prefix`, other than the observer's own. */
async function running(db: Kysely<Tables>, database: string, prefix: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
    where datname = ${database} and state = 'active' and query like ${`${prefix}%`}
      and pid <> pg_backend_pid()`.execute(db);
  return rows[0]!.n;
}

/** Whether another connection can lock the row at once (`nowait`: 55P03 while someone holds it). */
async function rowIsFree(db: Kysely<Tables>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`select id from counters where id = 'a' for update nowait`.execute(trx);
    return true;
  });
}

/**
 * ADR 0021: a pool statement is bounded by `database.queryTimeoutMs`. The bound holds inside
 * PostgreSQL too, not only in the client: a statement past it stops running there, and a transaction
 * whose client stopped talking gives its locks back, instead of holding them until PostgreSQL notices
 * that the session is gone.
 */
describe('the statement bound inside PostgreSQL', () => {
  const BOUND_MS = 1_000;

  async function start(config: Record<string, unknown> = {}) {
    const service: Service<Tables> = await startTestService(
      defineService<Tables>({
        name: uniqueName('statement-bound'),
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
          // Locks a row, then runs a statement far longer than the bound.
          app.post('/slow', async () => {
            await ctx.transaction(async (trx) => {
              await sql`select id from counters where id = 'a' for update`.execute(trx);
              await sql`select pg_sleep(20)`.execute(trx);
            });
            return { done: true };
          });
        },
      }),
      { config: { database: { queryTimeoutMs: BOUND_MS, ...config } } },
    );
    cleanup.push(() => service.stop());
    return { service, database: service.context.config.string('database.name') };
  }

  it('a statement past the bound stops running in PostgreSQL, and the row its transaction locked is free', async () => {
    const { service, database } = await start();
    const db = observer(database);
    const started = Date.now();
    const answer = await fetch(`${service.url}/slow`, { method: 'POST' });
    expect(answer.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(10_000);
    // PostgreSQL itself stopped the sleep: within moments of the bound, not at its end 20 s later.
    await eventually(async () => (await running(db, database, 'select pg_sleep')) === 0, 3_000);
    expect(await eventually(() => rowIsFree(db), 3_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a transaction whose connection went silent gives its locks back after the bound', async () => {
    const database = uniqueName('t_db');
    await ensureDatabase(pgServerUrl(), database);
    const db = observer(database);
    await sql`create table counters (id text primary key, n int not null)`.execute(db);
    await sql`insert into counters values ('a', 0)`.execute(db);
    const proxy = await tcpProxy(pgServerUrl());
    cleanup.push(() => proxy.close());
    const opened = openDatabase<Tables>(databaseUrl(proxy.url, database), { max: 1, queryTimeoutMs: 500 });
    cleanup.push(() => opened.close());

    const transaction = opened.db.transaction().execute(async (trx) => {
      await sql`select id from counters where id = 'a' for update`.execute(trx);
      // The network goes silent: neither end hears anything more, not even that the other is gone.
      proxy.blackhole();
      await sql`update counters set n = n + 1 where id = 'a'`.execute(trx);
    });
    await expect(transaction).rejects.toThrow();
    // PostgreSQL ends the session that sat in its transaction past the bound: the lock is free again
    // (without it, until the server's TCP keepalive gives up on the peer, two hours by default).
    expect(await eventually(() => rowIsFree(db), 5_000)).toBe(true);
    const { rows } = await sql<{ n: number }>`select n from counters where id = 'a'`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });

  it('work given a larger bound runs past the pool’s, and the pool’s statements stay bounded', async () => {
    // One connection: the one lent out with the larger bound comes back to the pool afterwards.
    const { service, database } = await start({ poolSize: 1 });
    const ctx = service.context;
    const slept = await ctx.withStatementTimeout(10_000, async (db) => {
      await sql`select pg_sleep(1.5)`.execute(db);
      // Transactions too, on the same connection.
      return db.transaction().execute(async (trx) => {
        await sql`select pg_sleep(1.5)`.execute(trx);
        return (await trx.selectFrom('counters').select('n').where('id', '=', 'a').executeTakeFirstOrThrow())
          .n;
      });
    });
    expect(slept).toBe(0);
    // Back in the pool, the connection has the pool's bound again.
    const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(ctx.db);
    expect(shown.rows[0]!.statement_timeout).toBe('1s');
    await expect(sql`select pg_sleep(1.5)`.execute(ctx.db)).rejects.toThrow(/statement timeout/);
    // The larger bound still holds inside PostgreSQL.
    await expect(
      ctx.withStatementTimeout(1_500, (db) => sql`select pg_sleep(20)`.execute(db)),
    ).rejects.toThrow(/statement timeout/);
    const db = observer(database);
    await eventually(async () => (await running(db, database, 'select pg_sleep')) === 0, 3_000);
    expect((await sql<{ n: number }>`select 1::int as n`.execute(ctx.db)).rows[0]!.n).toBe(1);
  });
});
