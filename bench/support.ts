/** Shared bench plumbing: free ports, services in their own processes, JSON calls, percentiles. */
import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ConfigTree,
  DeploymentCredentials,
  generateDeploymentSecret,
  type Role,
  SERVICE_TOKEN_HEADER,
} from '@sagamart/kit';
import { cpuProfileFlags, SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '@sagamart/launcher';
import { freePort } from '@sagamart/testkit/ports';
import { type Dispatcher, request } from 'undici';

export { freePort };

export const root = fileURLToPath(new URL('..', import.meta.url));
export const servicePath = (name: string) => join(root, 'services', name, 'src', 'index.ts');

/** The bench's own deployment: every service it starts holds this secret; its calls are signed with it. */
export const benchDeploymentSecret = generateDeploymentSecret();
const deploymentSecret = benchDeploymentSecret;
const credentials = new DeploymentCredentials('bench', { current: deploymentSecret });
const everyService = readdirSync(join(root, 'services'));
/** Bench tokens are good for every service, for the length of a run. */
const TOKEN_SECONDS = 3_600;

/** A signed-in user as the gateway passes it on (for calls straight to a service's port). */
export function signedIn(userId: string, role: Role, email: string): Record<string, string> {
  return { [SERVICE_TOKEN_HEADER]: credentials.mint(everyService, { userId, email, role }, TOKEN_SECONDS) };
}

/** A call as a service of the deployment (internal routes). */
export function asService(): Record<string, string> {
  return { [SERVICE_TOKEN_HEADER]: credentials.mint(everyService, undefined, TOKEN_SECONDS) };
}

/** A small deterministic PRNG: the same data set and request mix on every run. */
export { seededRandom as random } from '@sagamart/testkit/random';

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
}

/**
 * BENCH_CPU_PROF_DIR=<dir>: every service a bench starts writes V8 CPU profiles to <dir>/<service> when it stops
 * (open one in Chrome DevTools, or summarise it with `node bench/profile-summary.ts <file>`).
 */
const profileArgs = (name: string) => cpuProfileFlags(process.env.BENCH_CPU_PROF_DIR, name);

/** Starts one service in its own process (bench/services-process.ts) with the given config. */
export async function startService(name: string, config: ConfigTree): Promise<Child> {
  const [child] = await forkServices(name, [[name, config]]);
  return child!;
}

/**
 * Starts several services in one process, in order, as `npm start -- --in-process` composes them:
 * one Child each, all sharing that process (its CPU profiles go to <dir>/services-together).
 */
export function startServicesTogether(services: Array<[name: string, config: ConfigTree]>): Promise<Child[]> {
  return forkServices('services-together', services);
}

function forkServices(label: string, services: Array<[name: string, config: ConfigTree]>): Promise<Child[]> {
  const entries = services.map(([name, config]) => [name, servicePath(name), config]);
  const child = fork(join(root, 'bench', 'services-process.ts'), [], {
    // What `npm start` runs a service with: V8's young generation capped for the idle memory, at a
    // few per cent of the orders' throughput, and glibc's fixed mmap threshold (docs/performance.md,
    // change 31).
    execArgv: [...SERVICE_NODE_FLAGS, '--import', 'tsx', ...profileArgs(label)],
    env: {
      ...SERVICE_PROCESS_ENV,
      ...process.env,
      BENCH_SERVICES_CONFIG: JSON.stringify(entries),
      SAGAMART_DEPLOYMENT_SECRET: deploymentSecret,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within 120 s`)), 120_000);
    child.on('message', (message: { type?: string; urls?: Record<string, string>; error?: string }) => {
      clearTimeout(timer);
      if (message.type === 'ready' && message.urls)
        resolve(services.map(([name]) => ({ name, url: message.urls![name]!, process: child })));
      else reject(new Error(`${label} failed to start: ${message.error}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with code ${code} before it was ready`));
    });
  });
}

export async function stopService(child: Child): Promise<void> {
  // Gone already (several Childs may share one process).
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * One JSON request on kept-alive connections. undici's `request`, not `fetch`: the load generator
 * shares the machine's two cores with what it measures, and fetch's WHATWG streams cost it about
 * twice the CPU per request (docs/performance.md, change 26).
 */
export async function json<T>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<T> {
  const method = (init.method ?? 'GET') as Dispatcher.HttpMethod;
  const res = await request(url, { method, headers: init.headers, body: init.body });
  if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${await res.body.text()}`);
  return (await res.body.json()) as T;
}

/** The q-quantile of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Whether a server answers on the host and port of a URL (postgres:, amqp:, redis: …). */
export function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^[a-z]+:/, 'tcp:'));
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
