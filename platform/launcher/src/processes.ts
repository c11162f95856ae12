import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServicePackage } from './services.ts';

export interface RunningProcess {
  service: ServicePackage;
  child: ChildProcess;
  url: string | undefined;
  exited: Promise<number | null>;
  /** Set when the process hosts other services too (forkServiceHost): stops this one only. */
  host?: { stop(): Promise<void> };
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
 * more frequent scavenges under load. One V8 worker thread (background compiling and GC) instead of
 * Node's four: about 14 MB less memory outside V8's heap in each idle process, with nothing else
 * changed (docs/performance.md, changes 9 and 22).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=2', '--v8-pool-size=1'];

/**
 * Node flags that make a process write a V8 CPU profile of its whole life to `<dir>/<label>/` when
 * it stops (one file per thread; the main thread's is the largest); none without a dir. The launcher
 * takes the dir from SAGAMART_CPU_PROF_DIR (how change 32 of docs/performance.md found what a start
 * costs), the benches from BENCH_CPU_PROF_DIR.
 */
export function cpuProfileFlags(dir: string | undefined, label: string): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, label)}`] : [];
}

const profilingFlags = (label: string) => cpuProfileFlags(process.env.SAGAMART_CPU_PROF_DIR, label);

/**
 * glibc's malloc in each process the launcher starts: a fixed mmap threshold, at glibc's own initial
 * 128 KB. By default glibc raises the threshold whenever a large mapped block is freed, after which
 * large blocks come from a thread's arena and stay resident once freed: auth-service kept a 32 MB
 * scrypt buffer (one password hash) for good, 30 MB of its idle PSS, and every service kept a few
 * MB. Fixed, a block of 128 KB or more is mapped and unmapped (docs/performance.md, change 31).
 * Other C libraries ignore it; a value already in the environment wins.
 */
export const SERVICE_PROCESS_ENV: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) };

/** Runs a compiled service's bundle with V8's code cache (service-main.cjs). */
const serviceMain = fileURLToPath(new URL('./service-main.cjs', import.meta.url));

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
  const child = fork(
    options.compiled ? serviceMain : service.entry,
    options.compiled ? [options.compiled] : [],
    {
      cwd: service.dir,
      env: { ...SERVICE_PROCESS_ENV, ...process.env, ...options.env, [AWAIT_START_ENV]: '1' },
      // A compiled service maps its logged stacks itself, when it logs one (kit source-mapped-stack.ts).
      execArgv: [
        ...SERVICE_NODE_FLAGS,
        ...profilingFlags(label),
        ...(options.compiled ? [] : ['--import', 'tsx']),
      ],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Own process group: a terminal Ctrl-C reaches only the launcher, which stops services in order.
      detached: true,
    },
  );
  const logs = routeLogs(child, options, () => label);
  let resolveExit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (resolveExit = resolve));
  child.on('exit', (code, signal) => {
    logs.end();
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

/**
 * Writes a process's output to `<logDir>/<label>.log`, a line to the file of the service that logged
 * it (pino's `name`; a process hosting several services logs for each), and reports its warnings
 * and errors (pino JSON lines of level 40 and up, and any line that is not JSON) through onLog.
 */
function routeLogs(
  child: ChildProcess,
  options: Pick<SpawnOptions, 'logDir' | 'onLog'>,
  labelOf: (serviceName: string | undefined) => string,
  labels: string[] = [labelOf(undefined)],
): { end(): void } {
  const files = new Map<string, WriteStream>();
  const fileOf = (label: string) => {
    let file = files.get(label);
    if (!file) {
      file = createWriteStream(join(options.logDir, `${label}.log`), { flags: 'a' });
      files.set(label, file);
    }
    return file;
  };
  for (const label of labels) fileOf(label); // each file exists from the process's start
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      let entry: { name?: string; level?: number; msg?: string; err?: { message?: string } } | undefined;
      try {
        entry = JSON.parse(line);
      } catch {}
      const label = labelOf(typeof entry?.name === 'string' ? entry.name : undefined);
      fileOf(label).write(`${line}\n`);
      if (entry && typeof entry === 'object') {
        if ((entry.level ?? 0) >= 40) {
          options.onLog(
            label,
            entry.level ?? 40,
            `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`,
          );
        }
      } else if (line.trim()) options.onLog(label, 50, line);
    });
  }
  return {
    end: () => {
      for (const file of files.values()) file.end();
    },
  };
}

/** The launcher's side of kit run.ts's runServiceHost. */
export interface ServiceHost {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Resolves when the process has loaded every service's code (or has exited). */
  loaded: Promise<void>;
  /**
   * Starts one of its services, and resolves when that service reports ready; the `RunningProcess`
   * it resolves with stops that service only (`stopProcess`), the process going on for the others.
   */
  start(service: ServicePackage, env: Record<string, string>, timeoutMs?: number): Promise<RunningProcess>;
}

/**
 * Forks one process for several services (docs/adr/0011), which loads all of their code and then
 * starts each one when the launcher asks: `modules` are the kit's and each service's module, from
 * the compiled in-process build (`compiled`), else their sources under tsx.
 */
export function forkServiceHost(
  label: string,
  services: ServicePackage[],
  modules: { kit: string; services: Map<string, string>; compiled: boolean },
  options: Omit<SpawnOptions, 'label' | 'compiled'>,
): ServiceHost {
  const names = new Set(services.map((s) => s.name));
  const child = fork(
    new URL('./service-host.mjs', import.meta.url),
    [services.map((s) => s.name).join(',')],
    {
      env: {
        ...SERVICE_PROCESS_ENV,
        ...process.env,
        ...options.env,
        SAGAMART_HOST_MODULES: JSON.stringify({
          kit: modules.kit,
          services: Object.fromEntries(modules.services),
        }),
      },
      execArgv: [
        ...SERVICE_NODE_FLAGS,
        ...profilingFlags('host'),
        ...(modules.compiled ? [] : ['--import', 'tsx']),
      ],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    },
  );
  const logs = routeLogs(child, options, (name) => (name && names.has(name) ? name : label), [
    label,
    ...names,
  ]);
  let resolveLoaded!: () => void;
  const loaded = new Promise<void>((resolve) => (resolveLoaded = resolve));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      logs.end();
      resolveLoaded();
      resolve(code);
      options.onExit(label, code, signal);
    }),
  );
  // Replies by service name: ready/failed to a start, stopped to a stop.
  const waiting = new Map<string, (message: { type: string; url?: string; error?: string }) => void>();
  child.on('message', (message: { type?: string; name?: string; url?: string; error?: string }) => {
    if (message.type === 'loaded') resolveLoaded();
    if (message.name && message.type)
      waiting.get(`${message.type === 'stopped' ? 'stop' : 'start'}:${message.name}`)?.(
        message as { type: string },
      );
  });
  const ask = <T>(
    key: string,
    send: object,
    timeoutMs: number,
    answer: (message: { type: string; url?: string; error?: string }) => T,
  ) =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.connected)
        return reject(new Error(`${label} is not running (see ${join(options.logDir, `${label}.log`)})`));
      const done = () => {
        clearTimeout(timer);
        waiting.delete(key);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${key.split(':')[1]} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(key, (message) => {
        done();
        try {
          resolve(answer(message));
        } catch (error) {
          reject(error);
        }
      });
      void exited.then((code) => {
        if (!waiting.has(key)) return;
        done();
        reject(new Error(`${label} exited with code ${code} (see ${join(options.logDir, `${label}.log`)})`));
      });
      child.send(send);
    });
  return {
    child,
    exited,
    loaded,
    start: (service, env, timeoutMs = 90_000) =>
      ask(`start:${service.name}`, { type: 'start', name: service.name, env }, timeoutMs, (message) => {
        if (message.type === 'failed') throw new Error(`${service.name} failed to start: ${message.error}`);
        return { service, child, url: message.url, exited, host: { stop: () => hostStop(service.name) } };
      }),
  };
  // Best effort, as a signal to a process of its own is: a service that does not answer in time
  // goes when its host process is stopped (SIGTERM, then SIGKILL).
  function hostStop(name: string): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return ask(`stop:${name}`, { type: 'stop', name }, 20_000, () => undefined).catch(() => {});
  }
}

/** Asks a process to stop gracefully, then kills it if it does not. */
export async function stopProcess(
  running: Pick<RunningProcess, 'child' | 'exited' | 'host'>,
  graceMs = 15_000,
): Promise<void> {
  // One service of a shared process: that service only.
  if (running.host) return running.host.stop();
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
    env: { ...SERVICE_PROCESS_ENV, ...process.env },
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
