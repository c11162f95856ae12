// Plain JavaScript, so that the PostgreSQL host (postgres-host.mjs) runs under plain `node`: a tsx
// loader in that process cost ≈ 20 MB PSS, only to hold the server (docs/performance.md change 13).
// Types: embedded-postgres-server.d.mts; TypeScript callers import embedded-postgres.ts.
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Server settings for many small services on one server: enough connections for every service's
 * pool, and 16 MB of shared buffers (64 MB bought no throughput in the orders and catalog benches and
 * cost ≈ 15–20 MB of PSS at idle: docs/performance.md change 15; the OS caches the rest). Each
 * backend does its own reads (`io_method=sync`, as before PostgreSQL 18) instead of three I/O worker
 * processes standing by: a laptop's database is small and in the OS's cache (change 23). The
 * autovacuum launcher visits each of the platform's sixteen databases every five minutes instead of
 * every minute: a worker process started every 19 s at idle instead of every 4 s (each start cost
 * ≈ 25 ms of CPU here, change 28), and a busy table waits at most five minutes for its vacuum.
 */
const EMBEDDED_POSTGRES_FLAGS = [
  '-c',
  'max_connections=400',
  '-c',
  'autovacuum_naptime=5min',
  '-c',
  'shared_buffers=16MB',
  '-c',
  'io_method=sync',
  '-c',
  'listen_addresses=127.0.0.1',
];

/** A socket's path must fit in sun_path: 108 bytes on Linux, 104 on macOS, its terminating NUL included. */
const SOCKET_PATH_MAX = 103;

/**
 * Where the server puts its Unix socket: its own data directory (owned by the server's OS user, so it
 * can always write there), or nowhere when that path is too long for a socket (a deeply nested
 * clone), and then clients use TCP as before.
 */
function socketDirectory(dir, port) {
  if (process.platform === 'win32') return null;
  return `${dir}/.s.PGSQL.${port}`.length <= SOCKET_PATH_MAX ? dir : null;
}

/** @param {import('./embedded-postgres-server.d.mts').EmbeddedPostgresOptions} options */
export async function startEmbeddedPostgres(options) {
  const log = options.log ?? (() => {});
  const dir = resolve(options.dir);
  const fresh = !existsSync(`${dir}/PG_VERSION`);
  if (fresh) await mkdir(dir, { recursive: true });
  const socketDir = socketDirectory(dir, options.port);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The server runs as a separate OS user, which must be able to reach the data directory.
    const parent = dirname(dir);
    if (((await stat(parent)).mode & 0o005) !== 0o005) await chmod(parent, 0o755);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    // Running as root (CI, containers) needs a dedicated OS user for the postgres binaries.
    createPostgresUser: asRoot,
    postgresFlags: [
      ...EMBEDDED_POSTGRES_FLAGS,
      ...(socketDir ? ['-c', `unix_socket_directories=${socketDir}`] : []),
      ...(options.flags ?? []),
    ],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  // The platform's own connections take the socket (a statement costs both sides less CPU than over
  // TCP on loopback: docs/performance.md change 36); TCP on 127.0.0.1 stays open for other tools.
  const tcp = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  return {
    url: socketDir ? `${tcp}?host=${encodeURIComponent(socketDir)}` : tcp,
    async stop() {
      await pg.stop();
      if (options.ephemeral) await rm(dir, { recursive: true, force: true });
    },
  };
}
