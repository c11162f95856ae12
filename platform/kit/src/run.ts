import type { ServiceFactory } from './service.ts';

/**
 * Entry point for a service process: starts it, tells a parent launcher when ready,
 * and shuts down gracefully on SIGINT/SIGTERM.
 */
export async function runService(factory: ServiceFactory<any>): Promise<void> {
  const service = factory();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await service.stop();
    } finally {
      process.exit(signal === 'error' ? 1 : 0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The launcher closes our IPC channel when it goes away: do not outlive it.
  process.on('disconnect', () => void stop('disconnect'));
  try {
    const url = await service.start();
    process.send?.({ type: 'ready', name: service.name, url });
  } catch (error) {
    console.error(`${service.name} failed to start:`, error);
    process.send?.({ type: 'failed', name: service.name, error: String((error as Error).message) });
    await stop('error');
  }
}
