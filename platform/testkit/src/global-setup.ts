import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@sagamart/launcher/embedded-postgres';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * One PostgreSQL per test run: the embedded server by default (no installs), or the real one
 * when SAGAMART_TEST_INFRA=1 (DATABASE_URL, default postgres://root@127.0.0.1:5432/postgres).
 */
export default async function setup(project: TestProject) {
  if (process.env.SAGAMART_TEST_INFRA === '1') {
    const url = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.end();
    project.provide("pgServerUrl", url);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-test-pg-'));
  const server = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
  project.provide('pgServerUrl', server.url);
  return async () => {
    await server.stop();
  };
}
