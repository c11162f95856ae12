/**
 * Runs one service factory in this process with a JSON config (BENCH_SERVICE_CONFIG) and tells the
 * parent its URL over IPC: each service of a bench gets its own event loop, as in production.
 * Usage (by fork): service-process.ts <path to the service's src/index.ts>
 */
import type { ConfigTree, ServiceFactory } from '@sagamart/kit';

const modulePath = process.argv[2];
if (!modulePath) throw new Error('usage: service-process.ts <service module>');
const { default: factory } = (await import(modulePath)) as { default: ServiceFactory<unknown> };
const config = JSON.parse(process.env.BENCH_SERVICE_CONFIG ?? '{}') as ConfigTree;
const service = factory({ env: process.env, config });

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await service.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
process.on('disconnect', () => void stop(0));

try {
  const url = await service.start();
  process.send?.({ type: 'ready', url });
} catch (error) {
  process.send?.({ type: 'failed', error: String((error as Error).message) });
  await stop(1);
}
