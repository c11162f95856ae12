import { afterCommit, defineService, type Kysely, type Service, sql } from '@sagamart/kit';
import { startTestService, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';

interface Tables {
  marks: { id: string };
}

/**
 * `afterCommit` wakes background loops that must see what a transaction wrote: it runs once the
 * write is visible to everyone, never for a rolled-back transaction, and refuses a transaction whose
 * commit the kit cannot see (a wake that never runs would leave work waiting for a long idle poll).
 */
describe('afterCommit', () => {
  const running: Service<Tables>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  async function start() {
    const service = await startTestService(
      defineService<Tables>({
        name: uniqueName('after-commit'),
        port: 0,
        migrations: {
          '0001': {
            up: async (db: Kysely<any>) => {
              await db.schema
                .createTable('marks')
                .addColumn('id', 'text', (c) => c.primaryKey())
                .execute();
            },
          },
        },
      }),
    );
    running.push(service);
    return service.context;
  }

  it('runs once the transaction committed, where another connection sees the write', async () => {
    const ctx = await start();
    const reads: Array<Promise<Array<{ id: string }>>> = [];
    await ctx.transaction(async (trx) => {
      await trx.insertInto('marks').values({ id: 'a' }).execute();
      // Read on another connection of the pool: it sees the row only once the transaction committed.
      afterCommit(trx, () => reads.push(ctx.db.selectFrom('marks').select('id').execute()));
      expect(reads).toEqual([]);
    });
    expect(reads).toHaveLength(1);
    expect(await reads[0]).toEqual([{ id: 'a' }]);
  });

  it('never runs for a transaction that rolled back', async () => {
    const ctx = await start();
    const called: string[] = [];
    await expect(
      ctx.transaction(async (trx) => {
        await trx.insertInto('marks').values({ id: 'b' }).execute();
        afterCommit(trx, () => called.push('b'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // The kit runs the callbacks before ctx.transaction resolves, so none can still come.
    expect(called).toEqual([]);
    expect(await ctx.db.selectFrom('marks').select('id').execute()).toEqual([]);
  });

  it('runs at once on the database itself, and refuses a transaction the kit did not open', async () => {
    const ctx = await start();
    const called: string[] = [];
    await sql`insert into marks values ('c')`.execute(ctx.db);
    afterCommit(ctx.db, () => called.push('db'));
    expect(called).toEqual(['db']);
    await ctx.db.transaction().execute(async (trx) => {
      expect(() => afterCommit(trx, () => called.push('foreign'))).toThrow(/ctx\.transaction/);
    });
    expect(called).toEqual(['db']);
  });
});
