import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@sagamart/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/embedded-postgres.ts';

/** Where the server's connections arrive from, asked over the URL it handed out. */
async function connectedOver(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ over: string }>(
      `select coalesce(host(client_addr), 'unix socket') as over from pg_stat_activity where pid = pg_backend_pid()`,
    );
    return rows[0]!.over;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('hands out its Unix socket when the path fits, and TCP when the data directory is too deep for one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sagamart-pg-'));
    // Run as root, the server is another OS user, which must reach the nested directory too.
    await chmod(root, 0o755);
    cleanup.push(() => rm(root, { recursive: true, force: true }));

    const near = await startEmbeddedPostgres({
      dir: join(root, 'near'),
      port: await freePort(),
      ephemeral: true,
    });
    cleanup.push(() => near.stop());
    expect(await connectedOver(near.url)).toBe('unix socket');

    // 108 bytes is all a socket's path may take (104 on macOS): this one's would not fit.
    const deep = join(root, 'd'.repeat(60), 'e'.repeat(60));
    const far = await startEmbeddedPostgres({ dir: deep, port: await freePort(), ephemeral: true });
    cleanup.push(() => far.stop());
    expect(far.url).not.toContain('host=');
    expect(await connectedOver(far.url)).toBe('127.0.0.1');
  }, 120_000);
});
