/**
 * Summarises a V8 CPU profile (.cpuprofile, from `node --cpu-prof` or BENCH_CPU_PROF_DIR): where the
 * samples are, by package (self time) and by function (self and inclusive time), to read a profile
 * without a browser. Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [--on-cpu]
 *
 * Each sample counts for the time since the previous one, so a thread descheduled in the middle of
 * a system call (a socket write that wakes the reader, on a busy machine) shows that wait as the
 * call's time. --on-cpu counts each sample for at most the usual interval (the median), which is
 * closer to the CPU spent. --from=<s> and --to=<s> keep the samples between those seconds of the
 * profile (the measured orders, not the start and warm-up); --timeline prints the busy ms of each second.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const onCpu = args.includes('--on-cpu');
const timeline = args.includes('--timeline');
const seconds = (flag: string, fallback: number) => {
  const arg = args.find((a) => a.startsWith(`--${flag}=`));
  return arg ? Number(arg.slice(flag.length + 3)) : fallback;
};
const fromS = seconds('from', 0);
const toS = seconds('to', Number.POSITIVE_INFINITY);
const [file, topArg] = args.filter((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top] [--on-cpu]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const sortedDeltas = [...profile.timeDeltas].sort((a, b) => a - b);
const capUs = onCpu ? (sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 0) : Number.POSITIVE_INFINITY;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Where code lives: a package under node_modules, a workspace folder, or Node/V8 itself. */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const workspace = /\/(platform|services|bench)\/([^/]+)\//.exec(url);
  return workspace ? `${workspace[1]}/${workspace[2]}` : url;
}
const label = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const short = url.replace(/^.*\/(node_modules|platform|services)\//, '$1/');
  return `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
};

const selfByOwner = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
const busyBySecond = new Map<number, number>();
let totalMs = 0;
let atUs = 0;
profile.samples.forEach((id, i) => {
  atUs += profile.timeDeltas[i] ?? 0;
  if (atUs < fromS * 1e6 || atUs >= toS * 1e6) return;
  const ms = Math.min(profile.timeDeltas[i] ?? 0, capUs) / 1000;
  const node = byId.get(id)!;
  if (node.callFrame.functionName !== '(idle)') {
    const second = Math.floor(atUs / 1e6);
    busyBySecond.set(second, (busyBySecond.get(second) ?? 0) + ms);
  }
  totalMs += ms;
  const o = owner(node.callFrame.url, node.callFrame.functionName);
  selfByOwner.set(o, (selfByOwner.get(o) ?? 0) + ms);
  selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + ms);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = label(byId.get(at)!);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
  }
});

const idle = selfByOwner.get('(idle)') ?? 0;
const busy = totalMs - idle;
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, ms] of [...entries].sort(([, a], [, b]) => b - a).slice(0, top)) {
    if (key.startsWith('(idle)')) continue;
    console.log(`${((ms / busy) * 100).toFixed(1).padStart(6)} %  ${ms.toFixed(0).padStart(7)} ms  ${key}`);
  }
};
console.log(`${file}: ${busy.toFixed(0)} ms busy of ${totalMs.toFixed(0)} ms sampled (% of busy)`);
if (timeline)
  console.log(
    `busy ms in each second: ${[...busyBySecond].map(([s, ms]) => `${s}:${ms.toFixed(0)}`).join(' ')}`,
  );
print('self time by package', selfByOwner);
print('self time by function', selfByFunction);
print('inclusive time by function', inclusive);
