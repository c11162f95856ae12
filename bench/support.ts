/** Shared bench plumbing: free ports, services in their own processes, JSON calls, percentiles. */
import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigTree } from '@sagamart/kit';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const servicePath = (name: string) => join(root, 'services', name, 'src', 'index.ts');

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

/** A small deterministic PRNG: the same data set and request mix on every run. */
export { seededRandom as random } from '@sagamart/testkit/random';

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
}

/** Starts one service in its own process (bench/service-process.ts) with the given config. */
export function startService(name: string, config: ConfigTree): Promise<Child> {
  const child = fork(join(root, 'bench', 'service-process.ts'), [servicePath(name)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SERVICE_CONFIG: JSON.stringify(config), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
    child.on('message', (message: { type?: string; url?: string; error?: string }) => {
      clearTimeout(timer);
      if (message.type === 'ready' && message.url) resolve({ name, url: message.url, process: child });
      else reject(new Error(`${name} failed to start: ${message.error}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
}

export async function stopService(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The q-quantile of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
