import { createConnection, createServer, type Server } from 'node:net';
import {
  databaseUrl,
  ensureDatabase,
  type Kysely,
  lockForTransaction,
  openDatabase,
  sql,
} from '@sagamart/kit';
import { pgServerUrl, uniqueName } from '@sagamart/testkit';
import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NAMED_TEXTS, sentWithNextStatement } from '../src/prepared-statements.ts';

interface Tables {
  items: { id: number; name: string };
}

/**
 * The kit's pools prepare each statement with parameters once per connection: the answers stay the
 * same, PostgreSQL holds the statement (pg_prepared_statements), a statement whose table changed
 * shape keeps working, and the set a connection holds is bounded.
 */

/**
 * A TCP proxy in front of the test PostgreSQL that counts the client's exchanges: each Query ('Q')
 * or Sync ('S') message is one wait for the server's ReadyForQuery, one round trip.
 */
async function exchangeCounter(serverUrl: string) {
  const target = new URL(serverUrl);
  const counter = { exchanges: 0, server: undefined as Server | undefined, url: '' };
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 5432), target.hostname);
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        // The startup message has no type byte; every later one is a type and a length.
        const header = started ? 5 : 4;
        if (pending.length < header) break;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        if (started && (pending[0] === 0x51 || pending[0] === 0x53)) counter.exchanges++;
        started = true;
        pending = pending.subarray(length);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(serverUrl);
  proxied.searchParams.delete('host'); // the embedded server's Unix socket: this proxy is TCP
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as { port: number }).port);
  counter.server = server;
  counter.url = proxied.toString();
  return counter;
}

describe('prepared statements', () => {
  const closing: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((close) => close()));
  });

  async function setup(max = 2, preparedStatements = true) {
    const database = uniqueName('t_prep');
    await ensureDatabase(pgServerUrl(), database);
    const opened = openDatabase<Tables>(databaseUrl(pgServerUrl(), database), { max, preparedStatements });
    closing.push(opened.close);
    await sql`create table items (id int primary key, name text not null)`.execute(opened.db);
    await sql`insert into items values (1, 'one'), (2, 'two')`.execute(opened.db);
    return opened;
  }

  /** The statements the connection running `trx` holds, read on that connection. */
  async function preparedOn(trx: Kysely<Tables>): Promise<string[]> {
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
      trx,
    );
    return rows.map((r) => r.statement);
  }

  it('prepares a statement with parameters once and answers as before', async () => {
    const { db } = await setup(1);
    await db.transaction().execute(async (trx) => {
      const byId = (id: number) =>
        trx.selectFrom('items').select('name').where('id', '=', id).executeTakeFirst();
      expect(await byId(1)).toEqual({ name: 'one' });
      expect(await byId(2)).toEqual({ name: 'two' });
      expect(await byId(3)).toBeUndefined();
      const held = await preparedOn(trx);
      const text = trx.selectFrom('items').select('name').where('id', '=', 1).compile().sql;
      expect(held.filter((statement) => statement === text)).toHaveLength(1);
    });
  });

  it('prepares nothing when turned off (a pooler that cannot keep prepared statements)', async () => {
    const { db } = await setup(1, false);
    await db.transaction().execute(async (trx) => {
      expect(await trx.selectFrom('items').select('name').where('id', '=', 2).executeTakeFirst()).toEqual({
        name: 'two',
      });
      expect(await preparedOn(trx)).toEqual([]);
    });
  });

  it('a statement that fails to prepare fails alone: the connection goes on, the next text prepares', async () => {
    const { db, pool } = await setup(1);
    await expect(pool.query('select nope from items where id = $1', [1])).rejects.toMatchObject({
      code: '42703',
    });
    await expect(pool.query('select nope from items where id = $1', [1])).rejects.toMatchObject({
      code: '42703',
    });
    await sql`alter table items add column nope int`.execute(db);
    expect((await pool.query('select nope from items where id = $1', [1])).rows).toEqual([{ nope: null }]);
  });

  it('a table that changed shape under a prepared select * answers with its new columns', async () => {
    const { db, pool } = await setup(1);
    const read = () => pool.query('select * from items where id = $1', [1]);
    expect((await read()).rows).toEqual([{ id: 1, name: 'one' }]);
    await sql`alter table items add column colour text default 'red'`.execute(db);
    // Outside a transaction the statement is prepared anew at once.
    expect((await read()).rows).toEqual([{ id: 1, name: 'one', colour: 'red' }]);
    // Inside a transaction, the transaction fails once (PostgreSQL rolls back its other statements)…
    const inTransaction = () =>
      db.transaction().execute(async (trx) => {
        await sql`update items set name = ${'uno'} where id = ${1}`.execute(trx);
        return (await sql`select * from items where id = ${1} and true`.execute(trx)).rows;
      });
    expect(await inTransaction()).toEqual([{ id: 1, name: 'uno', colour: 'red' }]);
    await sql`update items set name = 'one'`.execute(db);
    await sql`alter table items add column size int default 7`.execute(db);
    await expect(inTransaction()).rejects.toMatchObject({ code: '0A000' });
    expect((await read()).rows).toEqual([{ id: 1, name: 'one', colour: 'red', size: 7 }]);
    // …and the caller's retry reads the new shape.
    expect(await inTransaction()).toEqual([{ id: 1, name: 'uno', colour: 'red', size: 7 }]);
  });

  it('an insert naming a partial unique index by a predicate with a parameter works past the generic plan', async () => {
    const { db, pool } = await setup(1);
    await sql`create table tickets (id serial primary key, owner int not null, status text not null)`.execute(
      db,
    );
    await sql`create unique index one_open on tickets (owner) where status <> 'CLOSED'`.execute(db);
    const open = (owner: number) =>
      pool.query(
        'insert into tickets (owner, status) values ($1, $2) on conflict (owner) where status <> $3 do nothing returning id',
        [owner, 'OPEN', 'CLOSED'],
      );
    // PostgreSQL tries a generic plan from the sixth execution of a prepared statement on.
    for (let owner = 1; owner <= 8; owner++) {
      expect((await open(owner)).rowCount).toBe(1);
      expect((await open(owner)).rowCount).toBe(0);
    }
  });

  it('holds at most MAX_NAMED_TEXTS statements per pool; texts past that run unnamed; another pool has its own', async () => {
    const { db } = await setup(1);
    await db.transaction().execute(async (trx) => {
      for (let n = 0; n < MAX_NAMED_TEXTS + 20; n++) {
        const { rows } = await sql<{ v: number }>`select ${n}::int + ${sql.lit(n)} as v`.execute(trx);
        expect(rows[0]?.v).toBe(2 * n);
      }
      const held = await preparedOn(trx);
      expect(held.length).toBeLessThanOrEqual(MAX_NAMED_TEXTS);
      expect(held.length).toBeGreaterThan(MAX_NAMED_TEXTS - 20);
    });
    // A second service in the same process (--in-process) prepares its statements as before.
    const other = await setup(1);
    await other.db.transaction().execute(async (trx) => {
      await sql`select ${1}::int + ${sql.lit(MAX_NAMED_TEXTS + 5)} as v`.execute(trx);
      expect(await preparedOn(trx)).toHaveLength(1);
    });
  });
  describe("a transaction's BEGIN sent with its first statement", () => {
    async function throughCounter() {
      const database = uniqueName('t_begin');
      await ensureDatabase(pgServerUrl(), database);
      const counter = await exchangeCounter(pgServerUrl());
      closing.push(() => new Promise<void>((resolve) => counter.server!.close(() => resolve())));
      const opened = openDatabase<Tables>(databaseUrl(counter.url, database), { max: 1 });
      closing.push(opened.close);
      // Another connection, to see what the transaction's writes look like from outside.
      const outside = openDatabase<Tables>(databaseUrl(pgServerUrl(), database), { max: 1 });
      closing.push(outside.close);
      await sql`create table items (id int primary key, name text not null)`.execute(opened.db);
      const insert = (trx: Kysely<Tables>, id: number) =>
        trx
          .insertInto('items')
          .values({ id, name: `item ${id}` })
          .execute();
      const names = async () =>
        (await outside.db.selectFrom('items').select('name').orderBy('id').execute()).map((r) => r.name);
      return { ...opened, counter, insert, names };
    }

    it('runs BEGIN and a prepared first statement in one round trip, and the statement inside the transaction', async () => {
      const { db, counter, insert, names } = await throughCounter();
      await db.transaction().execute((trx) => insert(trx, 1)); // prepares the insert on the connection
      counter.exchanges = 0;
      await expect(
        db.transaction().execute(async (trx) => {
          await insert(trx, 2);
          // Not committed: the first statement ran inside the transaction, not on its own.
          expect(await names()).toEqual(['item 1']);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await names()).toEqual(['item 1']);
      // BEGIN with the insert, then ROLLBACK: two round trips where there were three.
      expect(counter.exchanges).toBe(2);
      counter.exchanges = 0;
      await db.transaction().execute((trx) => insert(trx, 3));
      expect(counter.exchanges).toBe(2);
      expect(await names()).toEqual(['item 1', 'item 3']);
    });

    it('a first statement that fails rolls its transaction back and leaves the connection idle', async () => {
      const { db, insert, names } = await throughCounter();
      await db.transaction().execute((trx) => insert(trx, 1));
      await expect(db.transaction().execute((trx) => insert(trx, 1))).rejects.toMatchObject({
        code: '23505',
      });
      // The same (only) connection: a plain statement commits by itself, visible at once outside.
      await insert(db, 2);
      expect(await names()).toEqual(['item 1', 'item 2']);
    });

    it('a transaction that runs no statement sends nothing and leaves nothing open', async () => {
      const { db, counter, insert, names } = await throughCounter();
      counter.exchanges = 0;
      expect(await db.transaction().execute(async () => 'nothing to do')).toBe('nothing to do');
      await expect(
        db.transaction().execute(async () => {
          throw new Error('before any statement');
        }),
      ).rejects.toThrow('before any statement');
      expect(counter.exchanges).toBe(0);
      await insert(db, 1);
      expect(await names()).toEqual(['item 1']);
    });

    it('a first statement not yet prepared on the connection goes after BEGIN, as before', async () => {
      const { db, counter, insert, names } = await throughCounter();
      counter.exchanges = 0;
      await db.transaction().execute(async (trx) => {
        await insert(trx, 1);
        expect(await names()).toEqual([]);
      });
      // BEGIN, the insert, COMMIT.
      expect(counter.exchanges).toBe(3);
      expect(await names()).toEqual(['item 1']);
    });
  });
  describe('a statement whose answer no one reads, sent with the next one', () => {
    const INSERT_ITEM = sentWithNextStatement('insert into items (id, name) values ($1, $2)');
    const held = (trx: Kysely<Tables>, id: number) =>
      trx.executeQuery(CompiledQuery.raw(INSERT_ITEM, [id, `item ${id}`]));

    async function throughCounter(max = 1) {
      const database = uniqueName('t_held');
      await ensureDatabase(pgServerUrl(), database);
      const counter = await exchangeCounter(pgServerUrl());
      closing.push(() => new Promise<void>((resolve) => counter.server!.close(() => resolve())));
      const opened = openDatabase<Tables>(databaseUrl(counter.url, database), { max });
      closing.push(opened.close);
      const outside = openDatabase<Tables>(databaseUrl(pgServerUrl(), database), { max: 2 });
      closing.push(outside.close);
      await sql`create table items (id int primary key, name text not null)`.execute(opened.db);
      const names = async () =>
        (await outside.db.selectFrom('items').select('name').orderBy('id').execute()).map((r) => r.name);
      const count = (trx: Kysely<Tables>) =>
        trx
          .selectFrom('items')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('id', '>', 0)
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n));
      // Each text prepared on the (only) connection: from now on they may share an exchange.
      await opened.db.transaction().execute(async (trx) => {
        await held(trx, -1);
        await count(trx);
      });
      await sql`delete from items`.execute(outside.db);
      return { ...opened, outside, counter, names, count };
    }

    it('goes with the next statement, which sees its effect: one round trip fewer', async () => {
      const { db, counter, names, count } = await throughCounter();
      counter.exchanges = 0;
      const seen = await db.transaction().execute(async (trx) => {
        await held(trx, 1);
        // Not sent yet: nothing to see outside, and nothing committed.
        return count(trx);
      });
      expect(seen).toBe(1);
      // BEGIN, the insert and the count in one exchange, COMMIT in another (four before change 34's
      // hold, three before change 30's BEGIN).
      expect(counter.exchanges).toBe(2);
      expect(await names()).toEqual(['item 1']);
    });

    it('with nothing after it, goes with COMMIT: a whole transaction in one round trip', async () => {
      const { db, counter, names } = await throughCounter();
      counter.exchanges = 0;
      await db.transaction().execute(async (trx) => {
        await held(trx, 1);
      });
      expect(counter.exchanges).toBe(1);
      expect(await names()).toEqual(['item 1']);
    });

    it('that fails, fails the transaction with its own error and commits nothing', async () => {
      const { db, names, count } = await throughCounter();
      await held(db as never, 1).catch(() => {}); // outside a transaction: alone, committed at once
      expect(await names()).toEqual(['item 1']);
      // Failing ahead of the next statement: that statement is skipped and the caller sees the error.
      await expect(
        db.transaction().execute(async (trx) => {
          await held(trx, 2);
          await held(trx, 1);
          return count(trx);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      // Failing ahead of COMMIT: the commit fails.
      await expect(
        db.transaction().execute(async (trx) => {
          await held(trx, 3);
          await held(trx, 1);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await names()).toEqual(['item 1']);
      // The connection is idle and clean: the next transaction commits.
      await db.transaction().execute(async (trx) => {
        await held(trx, 4);
      });
      expect(await names()).toEqual(['item 1', 'item 4']);
    });

    it('is dropped by a ROLLBACK, and never sent when the transaction ran nothing else', async () => {
      const { db, counter, names, count } = await throughCounter();
      counter.exchanges = 0;
      await expect(
        db.transaction().execute(async (trx) => {
          await held(trx, 1);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(counter.exchanges).toBe(0);
      await expect(
        db.transaction().execute(async (trx) => {
          await count(trx);
          await held(trx, 2);
          throw new Error('changed my mind again');
        }),
      ).rejects.toThrow('changed my mind again');
      expect(await names()).toEqual([]);
    });

    it("a transaction's lock goes with its next statement, which runs once it is held and sees the previous holder's commit", async () => {
      const { db, outside, counter, count } = await throughCounter();
      // The lock's text prepared on the connection, so that it is held for the next statement.
      await db.transaction().execute(async (trx) => {
        await lockForTransaction(trx, 'warm-up');
        await count(trx);
      });
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      const first = outside.db.transaction().execute(async (trx) => {
        await lockForTransaction(trx, 'items');
        await held(trx, 1);
        await count(trx); // sends the lock and the insert: the lock is held from here
        await firstMayCommit;
      });
      // Advisory locks in this test's database (other tests share the server).
      const advisoryLocks = (granted: boolean) =>
        sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory'
          and granted = ${granted} and database = (select oid from pg_database where datname = current_database())`
          .execute(outside.db)
          .then((r) => r.rows[0]!.n);
      const waitingForLock = () => advisoryLocks(false);
      const grantedLocks = () => advisoryLocks(true);
      let second: Promise<number> | undefined;
      try {
        for (let i = 0; i < 200 && (await grantedLocks()) === 0; i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(await grantedLocks()).toBe(1);
        counter.exchanges = 0;
        second = db.transaction().execute(async (trx) => {
          await lockForTransaction(trx, 'items');
          return count(trx);
        });
        // The second transaction's lock and read reached the server and wait for the first.
        for (let i = 0; i < 200 && (await waitingForLock()) === 0; i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(await waitingForLock()).toBe(1);
      } finally {
        // Also when an expectation failed: the first transaction must end for the test to end.
        releaseFirst();
      }
      await first;
      // Its read ran after the lock was granted: it sees the row the first holder committed.
      expect(await second).toBe(1);
      // BEGIN, the lock and the read in one exchange; COMMIT.
      expect(counter.exchanges).toBe(2);
    });
  });
});
