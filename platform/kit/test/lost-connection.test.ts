import { Writable } from 'node:stream';
import { databaseUrl, defineService, type Service, sql } from '@sagamart/kit';
import { eventually, pgServerUrl, startTestService, uniqueName } from '@sagamart/testkit';
import pg from 'pg';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * PostgreSQL may end a connection at any time (a restart, a failover, pg_terminate_backend). pg-pool
 * listens for a connection's errors only while it is idle in the pool: one ended while a request
 * holds it in a transaction must fail that request, not the process, and the service goes on serving.
 */
describe('a database connection lost in the middle of a transaction', () => {
  const running: Service[] = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  afterEach(async () => {
    process.off('uncaughtException', onCrash);
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('fails that transaction, is logged once, and the next request is served', async () => {
    // Without a listener of the kit's, pg's 'error' would be thrown from a socket callback.
    process.on('uncaughtException', onCrash);
    const lines: Array<{ level: number; msg: string }> = [];
    const log = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    let entered: (pid: number) => void = () => {};
    const inTransaction = new Promise<number>((resolve) => (entered = resolve));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const service = await startTestService(
      defineService({
        name: uniqueName('lost-connection'),
        port: 0,
        migrations: { '0001': { up: async () => {} } },
        routes(app, ctx) {
          // Holds its transaction open between two statements, as a handler or the relay does.
          app.post('/held', async () => {
            await ctx.transaction(async (trx) => {
              const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
              entered(rows[0]!.pid);
              await released;
              await sql`select 1`.execute(trx);
            });
            return { done: true };
          });
          app.get('/now', async () => {
            const { rows } = await sql<{ ok: boolean }>`select true as ok`.execute(ctx.db);
            return rows[0];
          });
        },
      }),
      { log, config: { log: { level: 'warn' } } },
    );
    running.push(service);

    const held = fetch(`${service.url}/held`, { method: 'POST' });
    const lost = () => lines.filter((l) => l.msg.startsWith('database connection lost'));
    try {
      const pid = await inTransaction;
      const admin = new pg.Client({ connectionString: databaseUrl(pgServerUrl(), 'postgres') });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ ended: boolean }>('select pg_terminate_backend($1) as ended', [
          pid,
        ]);
        expect(rows[0]?.ended).toBe(true);
      } finally {
        await admin.end();
      }
      await eventually(() => lost().length > 0 || crashes.length > 0);
      expect(crashes).toEqual([]);
    } finally {
      release();
    }

    expect((await held).status).toBe(500);
    const next = await fetch(`${service.url}/now`);
    expect(next.status).toBe(200);
    expect(await next.json()).toEqual({ ok: true });
    // pg reports the one loss twice; it is one warning.
    expect(lost()).toHaveLength(1);
    expect(crashes).toEqual([]);
  });
});
