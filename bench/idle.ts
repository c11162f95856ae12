/**
 * Idle bench: the platform started as `npm start` does (the launcher's own command line, embedded
 * PostgreSQL, no web build), in both modes (one process per service, then `--in-process`). For each
 * process it prints its memory (PSS: shared pages split between the processes that map them, so
 * nothing is counted twice) and its CPU at idle, and the time until everything is ready; each mode
 * ends with `total PSS <N> MB, CPU <N> % of a core, ready in <N> s`.
 *
 * "Ready" is warm: a first, unmeasured start in each mode creates the data directory and builds the
 * bundles that are not up to date (BENCH_IDLE_WARMUP=0 skips them). Knobs: BENCH_IDLE_SECONDS (30, the CPU window),
 * BENCH_IDLE_SETTLE_SECONDS (150: from ready to the idle window; the first window after ready is
 * printed apart as the start's tail), BENCH_PORT_OFFSET (19000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, cpuParts, descendants, pssMiB } from './proc.ts';
import { freePort, root } from './support.ts';

interface Launched {
  launcher: ChildProcess;
  readySeconds: number;
  output: string[];
}

/** `npm start -- --skip-web` on the bench's ports and data directory; resolves once it is up. */
async function launch(dataDir: string, inProcess: boolean): Promise<Launched> {
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_PORT: String(await freePort()) };
  // The default embedded platform, whatever this shell points at.
  for (const key of ['DATABASE_URL', 'AMQP_URL', 'REDIS_URL', 'TRACING_ZIPKIN_URL', 'SAGAMART_SERVICES'])
    delete env[key];
  // As package.json's "start" script runs it.
  const args = [
    '--max-semi-space-size=2',
    '--v8-pool-size=1',
    join(root, 'platform/launcher/start.mjs'),
    '--skip-web',
    '--port-offset',
    String(process.env.BENCH_PORT_OFFSET ?? 19_000),
    '--data-dir',
    dataDir,
    ...(inProcess ? ['--in-process'] : []),
  ];
  const started = performance.now();
  const launcher = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (/sagamart is up in/.test(output.join('')))
        resolve({ launcher, readySeconds: (performance.now() - started) / 1000, output });
    };
    launcher.stdout!.on('data', collect);
    launcher.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    launcher.once('exit', (code) =>
      reject(new Error(`the launcher exited (${code}) before it was up:\n${output.join('')}`)),
    );
  });
}

/** Ctrl-C, as a person stops `npm start`; the launcher stops every service and PostgreSQL. */
async function shutdown(launcher: ChildProcess): Promise<void> {
  if (launcher.exitCode !== null || launcher.signalCode !== null) return;
  const left = descendants(launcher.pid!).map((p) => p.pid);
  const exited = new Promise((resolve) => launcher.once('exit', resolve));
  launcher.kill('SIGINT');
  const timer = setTimeout(() => {
    for (const pid of [launcher.pid!, ...left]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }, 30_000);
  await exited;
  clearTimeout(timer);
}

/** What a process of the platform is: the launcher, a service, or part of PostgreSQL. */
function processName(pid: number, launcherPid: number, inProcess: boolean): string {
  if (pid === launcherPid) return inProcess ? 'launcher + every service' : 'launcher';
  const args = commandLine(pid);
  const service = /services\/([^/]+)\/(src\/main\.ts|dist\/main\.[cm]js)/.exec(args)?.[1];
  if (service) return service;
  // A shared host (docs/adr/0011) names its services in its command line.
  const hosted = /service-host\.mjs\s+(\S+)/.exec(args)?.[1];
  if (hosted) return `host: ${hosted.split(',').join(', ')}`;
  if (/postgres-host\.m?[jt]s/.test(args)) return 'postgres host (node)';
  if (/(^|\/)postgres(\s|:|$)/.test(args)) return 'postgres';
  return args.slice(0, 40);
}

/** The launcher and every process under it, now. */
const platformPids = (launcher: ChildProcess) => [
  launcher.pid!,
  ...descendants(launcher.pid!).map((p) => p.pid),
];

type CpuRows = Map<string, { processes: number; pss: number; cpuMs: number; cpuPercent: number }>;

/**
 * Each process's CPU over `seconds` (and its PSS at the end), grouped by what it is (PostgreSQL's
 * backends and workers as one line). The CPU of processes that come and go counts too (PostgreSQL
 * backends a pool opens and closes again): a child that exits lands whole in its parent's reaped
 * CPU, so its share before the window is taken off; one that starts during the window counts from zero.
 */
async function cpuWindow(launcher: ChildProcess, inProcess: boolean, seconds: number): Promise<CpuRows> {
  const name = (pid: number) => processName(pid, launcher.pid!, inProcess);
  const atStart = new Map(
    platformPids(launcher).map((pid) => [pid, { name: name(pid), cpu: cpuParts(pid) }]),
  );
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsedMs = performance.now() - started;
  const rows: CpuRows = new Map();
  const add = (label: string, cpu: number, pss: number, alive: boolean) => {
    const row = rows.get(label) ?? { processes: 0, pss: 0, cpuMs: 0, cpuPercent: 0 };
    rows.set(label, {
      processes: row.processes + (alive ? 1 : 0),
      pss: row.pss + pss,
      cpuMs: row.cpuMs + cpu,
      cpuPercent: row.cpuPercent + (cpu / elapsedMs) * 100,
    });
  };
  for (const pid of new Set([...atStart.keys(), ...platformPids(launcher)])) {
    const start = atStart.get(pid);
    const before = start?.cpu ? start.cpu.own + start.cpu.reaped : 0;
    const now = cpuParts(pid);
    const pss = pssMiB(pid);
    if (!now || Number.isNaN(pss)) {
      if (start) add(start.name, -before, 0, false); // exited during the window
      continue;
    }
    add(start?.name ?? name(pid), now.own + now.reaped - before, pss, true);
  }
  return rows;
}

/**
 * What each process (grouped as in cpuWindow) has used since it started, with its reaped children
 * (PostgreSQL's exited backends, the launcher's build): at ready, the CPU a start costs.
 */
function cpuSoFar(launcher: ChildProcess, inProcess: boolean): Array<[string, number]> {
  const byName = new Map<string, number>();
  for (const pid of platformPids(launcher)) {
    const cpu = cpuParts(pid);
    const name = processName(pid, launcher.pid!, inProcess);
    if (cpu) byName.set(name, (byName.get(name) ?? 0) + cpu.own + cpu.reaped);
  }
  return [...byName].sort(([, a], [, b]) => b - a);
}

const total = (rows: CpuRows, key: 'pss' | 'cpuPercent') =>
  [...rows.values()].reduce((sum, row) => sum + row[key], 0);

async function measureMode(dataDir: string, inProcess: boolean, windowSeconds: number): Promise<void> {
  const mode = inProcess
    ? '`npm start -- --in-process` (one process)'
    : '`npm start` (one process per service)';
  console.log(`\n${mode}…`);
  const { launcher, readySeconds, output } = await launch(dataDir, inProcess);
  try {
    const startCpu = cpuSoFar(launcher, inProcess);
    const startSeconds = startCpu.reduce((sum, [, ms]) => sum + ms, 0) / 1000;
    console.log(
      `ready in ${readySeconds.toFixed(1)} s, ${startSeconds.toFixed(1)} CPU-s until then (${(startSeconds / readySeconds).toFixed(2)} cores): ${startCpu
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)}`)
        .join(', ')}`,
    );
    // The first half-minute after ready is the start's tail, not idle: PostgreSQL's autovacuum
    // analyses what the start wrote, the pools' start-up connections close, and each route the
    // platform calls itself compiles its schemas at its first request (docs/performance.md, change 25).
    // Then, up to about 100 s after a process started, V8's memory reducer compacts each heap once
    // (two or three mark-compacts a process, change 28). Both are printed on lines of their own; the
    // idle window opens `settle` seconds after ready.
    const settle = Math.max(3 * windowSeconds, Number(process.env.BENCH_IDLE_SETTLE_SECONDS ?? 150));
    const readyAt = performance.now();
    const sleepUntil = (seconds: number) =>
      new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - (performance.now() - readyAt))));
    const tail = await cpuWindow(launcher, inProcess, windowSeconds);
    console.log(
      `CPU in the first ${windowSeconds} s after ready (the start's tail): ${total(tail, 'cpuPercent').toFixed(1)} % of a core`,
    );
    await sleepUntil(2 * windowSeconds);
    const compacting = await cpuWindow(launcher, inProcess, windowSeconds);
    console.log(
      `CPU from ${2 * windowSeconds} s after ready (heaps still compacted once): ${total(compacting, 'cpuPercent').toFixed(1)} % of a core`,
    );
    await sleepUntil(settle);
    const rows = await cpuWindow(launcher, inProcess, windowSeconds);
    // CPU seconds over the window as well as the percentage: on a shared machine the seconds of two
    // runs compare directly when their windows are equal.
    console.log(`idle, from ${settle} s after ready:`);
    console.log(`process                          PSS MB   CPU % of a core   CPU s over ${windowSeconds} s`);
    const sorted = [...rows].sort(([, a], [, b]) => b.pss - a.pss);
    for (const [name, row] of sorted) {
      const label = row.processes > 1 ? `${name} (${row.processes} processes)` : name;
      console.log(
        `${label.padEnd(32)} ${row.pss.toFixed(1).padStart(6)}   ${row.cpuPercent.toFixed(2).padStart(15)}   ${(row.cpuMs / 1000).toFixed(2).padStart(10)}`,
      );
    }
    console.log(
      `load average at the end of the window: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `total PSS ${total(rows, 'pss').toFixed(0)} MB, CPU ${total(rows, 'cpuPercent').toFixed(1)} % of a core, ready in ${readySeconds.toFixed(1)} s`,
    );
  } catch (error) {
    console.error(output.join(''));
    throw error;
  } finally {
    await shutdown(launcher);
  }
}

export async function runIdleBench(): Promise<void> {
  const windowSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
  const dataDir = await mkdtemp(join(tmpdir(), 'sagamart-bench-idle-'));
  try {
    if (process.env.BENCH_IDLE_WARMUP !== '0') {
      // Both modes: each has bundles of its own to build (docs/adr/0008, 0010) when a source changed.
      console.log('first starts (not measured): create the databases, build what changed…');
      await shutdown((await launch(dataDir, false)).launcher);
      await shutdown((await launch(dataDir, true)).launcher);
    }
    await measureMode(dataDir, false, windowSeconds);
    await measureMode(dataDir, true, windowSeconds);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
