import { defineService, type Kysely, type Migration, type Service, sql } from '@sagamart/kit';
import { startTestService, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';

/** A migration that creates one table. */
const creating = (table: string): Migration => ({
  up: async (db: Kysely<any>) => {
    await db.schema.createTable(table).addColumn('id', 'integer').execute();
  },
});

/**
 * A service's start creates its database the first time and applies its migrations; a start with
 * nothing to apply reads only the migrations table (docs/performance.md, change 29), so these are
 * the cases that must still go through the migrator: a new migration, and a database that has one
 * the code does not know.
 */
describe('migrations at a service start', () => {
  const running: Service[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  async function start(database: string, migrations: Record<string, Migration>) {
    const service = await startTestService(
      defineService({ name: uniqueName('migrations'), port: 0, migrations }),
      { config: { database: { name: database } } },
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

  it('refuses to start on a database migrated by code that knew a migration this code does not', async () => {
    const database = uniqueName('t_migrations');
    const newer = await start(database, { '0001': creating('notes_a'), '0002': creating('notes_b') });
    await newer.stop();
    await expect(start(database, { '0001': creating('notes_a') })).rejects.toThrow(/0002|corrupted/i);
  });
});
