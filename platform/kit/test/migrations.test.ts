import { Writable } from 'node:stream';
import { databaseUrl, defineService, type Kysely, type Migration, type Service, sql } from '@sagamart/kit';
import { eventually, pgServerUrl, startTestService, uniqueName } from '@sagamart/testkit';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

/** A migration that creates one table. */
const creating = (table: string): Migration => ({
  up: async (db: Kysely<any>) => {
    await db.schema.createTable(table).addColumn('id', 'integer').execute();
  },
});

/** The warnings a service logs, parsed. */
function warningLines() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { lines, log };
}

/** PostgreSQL advisory locks held and waited for in a database (the migrator's lock is one). */
async function advisoryLocks(database: string) {
  const admin = new pg.Client({ connectionString: databaseUrl(pgServerUrl(), 'postgres') });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ granted: number; waiting: number }>(
      `select count(*) filter (where l.granted)::int as granted, count(*) filter (where not l.granted)::int as waiting
         from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and d.datname = $1`,
      [database],
    );
    return rows[0]!;
  } finally {
    await admin.end();
  }
}

/**
 * A service's start creates its database the first time and applies its migrations; a start with
 * nothing to apply reads only the migrations table (docs/performance.md, change 29). In a rolling
 * deploy or a rollback, a release starts on a database that a newer release already migrated: it
 * starts, warning, when every migration it knows is applied and the others are newer; a history
 * with a gap where one of its own should be is still refused.
 */
describe('migrations at a service start', () => {
  const running: Service[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  async function start(database: string, migrations: Record<string, Migration>, log?: Logger) {
    const service = await startTestService(
      defineService({ name: uniqueName('migrations'), port: 0, migrations }),
      log
        ? { log, config: { database: { name: database }, log: { level: 'warn' } } }
        : { config: { database: { name: database } } },
    );
    running.push(service);
    return service;
  }

  const tables = async (service: Service) =>
    (
      await sql<{ table_name: string }>`select table_name from information_schema.tables
        where table_schema = 'public' and table_name like 'notes_%' order by table_name`.execute(
        service.context.db as Kysely<unknown>,
      )
    ).rows.map((r) => r.table_name);

  it('creates the database at the first start, and applies a migration added since the last one', async () => {
    const database = uniqueName('t_migrations');
    const first = await start(database, { '0001': creating('notes_a') });
    expect(await tables(first)).toEqual(['notes_a']);
    await first.stop();

    const again = await start(database, { '0001': creating('notes_a') });
    expect(await tables(again)).toEqual(['notes_a']);
    await again.stop();

    const next = await start(database, { '0001': creating('notes_a'), '0002': creating('notes_b') });
    expect(await tables(next)).toEqual(['notes_a', 'notes_b']);
  });

  it('starts on a database a newer release migrated, and warns naming the migrations it does not know', async () => {
    const database = uniqueName('t_migrations');
    const newer = await start(database, { '0001': creating('notes_a'), '0002': creating('notes_b') });
    await newer.stop();

    const warnings = warningLines();
    const older = await start(database, { '0001': creating('notes_a') }, warnings.log);
    expect(await tables(older)).toEqual(['notes_a', 'notes_b']);
    expect(warnings.lines).toContainEqual(
      expect.objectContaining({ table: 'schema_migrations', unknownMigrations: ['0002'] }),
    );
  });

  it.each([
    ['a migration it knows is not applied but a newer one is', ['0001', '0003'], ['0001', '0002']],
    ['one it does not know sits between two it knows', ['0001', '0002', '0003'], ['0001', '0003']],
    [
      'a migration it knows is not applied, with a later one applied',
      ['0001', '0003'],
      ['0001', '0002', '0003'],
    ],
  ])('refuses to start when %s', async (_case, applied, known) => {
    const database = uniqueName('t_migrations');
    const setOf = (names: string[]) =>
      Object.fromEntries(names.map((name) => [name, creating(`notes_${name}`)]));
    const earlier = await start(database, setOf(applied));
    await earlier.stop();
    await expect(start(database, setOf(known))).rejects.toThrow(/corrupted/i);
  });

  it('waits for a newer release migrating at the same time, then starts and warns', async () => {
    const database = uniqueName('t_migrations');
    let finish: () => void = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    const newer = start(database, {
      '0001': creating('notes_a'),
      '0002': { up: () => held },
    });
    // The newer release holds the migration lock, its 0001 and 0002 not yet committed.
    await eventually(async () => (await advisoryLocks(database)).granted > 0);
    const warnings = warningLines();
    const older = start(database, { '0001': creating('notes_a') }, warnings.log);
    await eventually(async () => (await advisoryLocks(database)).waiting > 0);
    finish();
    const [, started] = await Promise.all([newer, older]);
    expect(await tables(started)).toEqual(['notes_a']);
    expect(warnings.lines).toContainEqual(expect.objectContaining({ unknownMigrations: ['0002'] }));
  });
});
