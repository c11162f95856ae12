/**
 * Runs one service factory, or several as `npm start -- --in-process` composes them, in this process
 * and tells the parent their URLs over IPC: each process of a bench has its own event loop, as in
 * production. BENCH_SERVICES_CONFIG is a JSON list of `[name, module path, config]`, started in
 * order; each also finds the ones started before it here by static discovery.
 */
import type { ConfigTree, ServiceFactory } from '@sagamart/kit';

type Entry = [name: string, modulePath: string, config: ConfigTree];

const entries = JSON.parse(process.env.BENCH_SERVICES_CONFIG ?? '[]') as Entry[];
if (entries.length === 0) throw new Error('BENCH_SERVICES_CONFIG names no service');
const started: Array<{ name: string; url: string; stop: () => Promise<void> }> = [];

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  for (const service of started.reverse()) await service.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
process.on('disconnect', () => void stop(0));

try {
  for (const [name, modulePath, config] of entries) {
    const { default: factory } = (await import(modulePath)) as { default: ServiceFactory<unknown> };
    const given = (config.discovery ?? {}) as ConfigTree;
    const known = {
      ...((given.static ?? {}) as ConfigTree),
      ...Object.fromEntries(started.map((s) => [s.name, s.url])),
    };
    const service = factory({
      env: process.env,
      config: { ...config, discovery: { ...given, static: known } },
    });
    const url = await service.start();
    started.push({ name, url, stop: () => service.stop() });
  }
  process.send?.({ type: 'ready', urls: Object.fromEntries(started.map((s) => [s.name, s.url])) });
} catch (error) {
  process.send?.({ type: 'failed', error: String((error as Error).message) });
  await stop(1);
}
