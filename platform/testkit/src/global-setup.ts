import { mkdtemp } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@sagamart/launcher/embedded-postgres';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort } from './ports.ts';
import { isDroppable, runStamp } from './test-names.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    /** Which real servers answered (infra runs only). */
    infraUp: { rabbitmq: boolean; redis: boolean };
  }
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * One PostgreSQL per test run: the embedded server by default (no installs), or the real one
 * when SAGAMART_TEST_INFRA=1 (DATABASE_URL, default postgres://root@127.0.0.1:5432/postgres).
 */
export default async function setup(project: TestProject) {
  // Before any worker starts: the workers inherit it and stamp their names with this run.
  runStamp();
  if (process.env.SAGAMART_TEST_INFRA === '1') {
    const url = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.end();
    project.provide('infraUp', {
      rabbitmq: await reachable(
        (process.env.AMQP_URL ?? 'amqp://127.0.0.1:5672').replace(/^amqps?:/, 'tcp:'),
      ),
      redis: await reachable(
        (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/^rediss?:/, 'tcp:'),
      ),
    });
    project.provide('pgServerUrl', url);
    // Test databases are named t_*; drop this run's (and those of runs long over) so a shared server
    // does not fill up, but never another live run's: its stopped service comes back to its database.
    // Without FORCE: a database still connected to stays.
    return async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(
        "select datname from pg_database where datname like 't\\_%'",
      );
      for (const { datname } of rows.filter((r) => isDroppable(r.datname)))
        await admin.query(`drop database if exists "${datname}"`).catch(() => {});
      await admin.end();
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-test-pg-'));
  const server = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
  project.provide('pgServerUrl', server.url);
  project.provide('infraUp', { rabbitmq: false, redis: false });
  return async () => {
    await server.stop();
  };
}
