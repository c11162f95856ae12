import { inspect } from 'node:util';
import type { ServiceFactory } from './service.ts';
import { sourceMappedStack } from './source-mapped-stack.ts';

/**
 * Set by a launcher that forks a service ahead of its turn: the process loads its code, says
 * `{ type: 'loaded' }`, then waits for `{ type: 'start' }` before it starts (reads config, migrates,
 * listens, registers).
 */
export const AWAIT_START_ENV = 'SAGAMART_AWAIT_START';

/**
 * Entry point for a service process: starts it, tells a parent launcher when ready,
 * and shuts down gracefully on SIGINT/SIGTERM.
 */
export async function runService(factory: ServiceFactory<any>): Promise<void> {
  const service = factory();
  let stopping = false;
  let starting = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Stopped while it waited for its turn: there is nothing to stop yet.
    if (!starting) process.exit(0);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await service.stop();
    } finally {
      process.exit(signal === 'error' ? 1 : 0);
    }
  };
  // Printed as Node would, with the stack in the sources' terms (the bundles run without
  // --enable-source-maps; source-mapped-stack.ts).
  process.on('uncaughtException', (error) => {
    console.error(sourceMappedStack(inspect(error)));
    process.exit(1);
  });
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The launcher closes our IPC channel when it goes away: do not outlive it.
  process.on('disconnect', () => void stop('disconnect'));
  if (process.env[AWAIT_START_ENV] === '1' && process.send) {
    await new Promise<void>((resolve) => {
      const onMessage = (message: { type?: string }) => {
        if (message?.type !== 'start') return;
        process.off('message', onMessage);
        resolve();
      };
      process.on('message', onMessage);
      process.send!({ type: 'loaded', name: service.name });
    });
  }
  if (stopping) return;
  starting = true;
  try {
    const url = await service.start();
    process.send?.({ type: 'ready', name: service.name, url });
  } catch (error) {
    console.error(`${service.name} failed to start:`, sourceMappedStack(inspect(error)));
    process.send?.({ type: 'failed', name: service.name, error: String((error as Error).message) });
    await stop('error');
  }
}
