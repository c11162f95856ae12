// Runs the embedded PostgreSQL in its own process group (the launcher forks this detached), so a
// Ctrl-C in the terminal reaches only the launcher, which stops PostgreSQL after every service.
// Plain JavaScript under plain `node` (no tsx loader): this process only holds the server.
import { startEmbeddedPostgres } from './embedded-postgres-server.mjs';

const [dir, port] = process.argv.slice(2);
const server = await startEmbeddedPostgres({
  dir,
  port: Number(port),
  log: (line) => process.stdout.write(`${line}\n`),
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  process.exit(0);
};
process.on('message', (message) => message?.type === 'stop' && void stop());
// The launcher is gone (crashed or killed): do not leave the server behind.
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
process.send?.({ type: 'ready', url: server.url });
