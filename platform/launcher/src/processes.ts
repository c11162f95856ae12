import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServicePackage } from './services.ts';

export interface RunningProcess {
  service: ServicePackage;
  child: ChildProcess;
  url: string | undefined;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  env: Record<string, string>;
  logDir: string;
  /** Names the instance in its log file and in onLog/onExit (default: the service's name). */
  label?: string;
  /** Called with warnings and errors from the service's log (pino JSON lines). */
  onLog: (service: string, level: number, message: string) => void;
  onExit: (service: string, code: number | null, signal: NodeJS.Signals | null) => void;
  /** The service compiled to JavaScript (service-build.ts), run with plain node; else its sources through tsx. */
  compiled?: string | undefined;
}

/**
 * V8 flags for each service process. A young generation capped at 2 MB semi-spaces (V8's default
 * grows to 16 MB while a service starts and keeps it at idle): about 25 MB less per process, for
 * more frequent scavenges under load (docs/performance.md measures both).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=2'];

/**
 * Stack traces through a compiled service name its TypeScript sources, the map read only when one is
 * first formatted (source-maps.mjs); `--enable-source-maps` parses every map at start.
 */
const SOURCE_MAPS = new URL('./source-maps.mjs', import.meta.url).href;

/** Starts one service as its own Node process and resolves when it reports ready. */
export function spawnService(
  service: ServicePackage,
  options: SpawnOptions,
  timeoutMs = 90_000,
): Promise<RunningProcess> {
  return forkService(service, options).start(timeoutMs);
}

/** The launcher's side of kit run.ts's AWAIT_START_ENV: the service waits for `{ type: 'start' }`. */
const AWAIT_START_ENV = 'SAGAMART_AWAIT_START';

export interface ForkedService {
  running: RunningProcess;
  /** Resolves when the process has loaded its code and waits for start() (or has exited). */
  loaded: Promise<void>;
  /** Lets the service start, and resolves when it reports ready. */
  start(timeoutMs?: number): Promise<RunningProcess>;
}

/**
 * Forks a service's process, which loads its code and then waits for start(): the launcher forks
 * every service at once and starts them tier by tier, so that loading code (most of a service's
 * start-up CPU) overlaps the earlier tiers' start instead of waiting for it.
 */
export function forkService(service: ServicePackage, options: SpawnOptions): ForkedService {
  const label = options.label ?? service.name;
  const logFile = join(options.logDir, `${label}.log`);
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  const child = fork(options.compiled ?? service.entry, [], {
    cwd: service.dir,
    env: { ...process.env, ...options.env, [AWAIT_START_ENV]: '1' },
    execArgv: [...SERVICE_NODE_FLAGS, '--import', options.compiled ? SOURCE_MAPS : 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Own process group: a terminal Ctrl-C reaches only the launcher, which stops services in order.
    detached: true,
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.pipe(log, { end: false });
    createInterface({ input: stream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
        if ((entry.level ?? 0) >= 40) {
          options.onLog(
            label,
            entry.level ?? 40,
            `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`,
          );
        }
      } catch {
        if (line.trim()) options.onLog(label, 50, line);
      }
    });
  }
  let resolveExit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (resolveExit = resolve));
  child.on('exit', (code, signal) => {
    log.end();
    resolveExit(code);
    options.onExit(label, code, signal);
  });
  const running: RunningProcess = { service, child, url: undefined, exited };
  // Listening from the fork on: a service that fails or exits while it loads is reported at start().
  let outcome: { ready: true } | { error: Error } | undefined;
  let settle: (() => void) | undefined;
  let resolveLoaded!: () => void;
  const loaded = new Promise<void>((resolve) => (resolveLoaded = resolve));
  child.on('message', (message: { type?: string; url?: string; error?: string }) => {
    if (message.type === 'loaded') resolveLoaded();
    if (outcome) return;
    if (message.type === 'ready') {
      running.url = message.url;
      outcome = { ready: true };
    } else if (message.type === 'failed') {
      outcome = { error: new Error(`${label} failed to start: ${message.error}`) };
    } else return;
    settle?.();
  });
  void exited.then((code) => {
    resolveLoaded();
    outcome ??= {
      error: new Error(`${label} exited with code ${code} before it was ready (see ${logFile})`),
    };
    settle?.();
  });
  return {
    running,
    loaded,
    start: (timeoutMs = 90_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${label} did not start within ${timeoutMs} ms`)),
          timeoutMs,
        );
        settle = () => {
          clearTimeout(timer);
          if (outcome && 'error' in outcome) reject(outcome.error);
          else resolve(running);
        };
        if (outcome) settle();
        else if (child.connected) child.send({ type: 'start' });
      }),
  };
}

/** Asks a process to stop gracefully, then kills it if it does not. */
export async function stopProcess(running: RunningProcess, graceMs = 15_000): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), graceMs);
  await running.exited;
  clearTimeout(timer);
}

export interface EmbeddedPostgresServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts the embedded PostgreSQL in a detached helper process (see postgres-host.mjs), under plain node. */
export function startPostgresHost(
  dir: string,
  port: number,
  logDir: string,
): Promise<EmbeddedPostgresServer> {
  const log = createWriteStream(join(logDir, 'postgres.log'), { flags: 'a' });
  const child = fork(new URL('./postgres-host.mjs', import.meta.url), [dir, String(port)], {
    execArgv: SERVICE_NODE_FLAGS,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('message', (message: { type?: string; url?: string }) => {
      if (message.type !== 'ready' || !message.url) return;
      resolve({
        url: message.url,
        async stop() {
          if (child.exitCode === null) child.send({ type: 'stop' });
          await exited;
          log.end();
        },
      });
    });
    void exited.then(() =>
      reject(new Error(`PostgreSQL did not start (see ${join(logDir, 'postgres.log')})`)),
    );
  });
}
