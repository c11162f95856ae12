import { inspect } from 'node:util';
import { sharedPostgresTransport } from './events/postgres-transport.ts';
import type { Service, ServiceFactory } from './service.ts';
import { sourceMappedStack } from './source-mapped-stack.ts';

/**
 * Set by a launcher that forks a service ahead of its turn: the process loads its code, says
 * `{ type: 'loaded' }`, then waits for `{ type: 'start' }` before it starts (reads config, migrates,
 * listens, registers).
 */
export const AWAIT_START_ENV = 'SAGAMART_AWAIT_START';

/**
 * How a service process ends: SIGINT, SIGTERM, or the launcher going away (it closes our IPC
 * channel: do not outlive it) call `stop`; an uncaught exception is printed as Node would, with the
 * stack in the sources' terms (the bundles run without --enable-source-maps; source-mapped-stack.ts),
 * and exits 1.
 */
function onProcessEnd(stop: () => void): void {
  process.on('uncaughtException', (error) => {
    console.error(sourceMappedStack(inspect(error)));
    process.exit(1);
  });
  for (const end of ['SIGINT', 'SIGTERM', 'disconnect'] as const) process.on(end, stop);
}

/** Stops gracefully, then exits with `code`; with 1 if stopping takes longer than 15 s. */
async function exitAfter(stopping: () => Promise<unknown>, code: number): Promise<void> {
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await stopping();
  } finally {
    process.exit(code);
  }
}

/**
 * Entry point for a service process: starts it, tells a parent launcher when ready,
 * and shuts down gracefully on SIGINT/SIGTERM.
 */
export async function runService(factory: ServiceFactory<any>): Promise<void> {
  const service = factory();
  let stopping = false;
  let starting = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Stopped while it waited for its turn: there is nothing to stop yet.
    if (!starting) process.exit(0);
    await exitAfter(() => service.stop(), code);
  };
  onProcessEnd(() => void stop(0));
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
    await stop(1);
  }
}

/**
 * Entry point for a process that hosts several services (the launcher's shared host for the
 * platform's supporting servers, docs/adr/0011). It says `{ type: 'loaded' }`, then starts each
 * service the launcher names (`{ type: 'start', name, env }` → `ready` or `failed`), stops one on
 * `{ type: 'stop', name }` (→ `stopped`), and on SIGINT or SIGTERM, or when the launcher goes
 * away, stops those still running, the last started first. On the embedded PostgreSQL queue the
 * services share one transport, as they do with `--in-process`.
 */
export async function runServiceHost(factories: Map<string, ServiceFactory<any>>): Promise<void> {
  const running = new Map<string, Service<any>>();
  const shared = sharedPostgresTransport({
    poolSize: 4,
    onError: (error) => console.error(`[transport] ${(error as Error).message ?? String(error)}`),
  });

  const stopOne = async (name: string) => {
    const service = running.get(name);
    if (!service) return;
    running.delete(name);
    await service
      .stop()
      .catch((error: Error) => console.error(`${name} did not stop cleanly:`, inspect(error)));
  };
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await exitAfter(async () => {
      for (const name of [...running.keys()].reverse()) await stopOne(name);
      await shared.close().catch(() => {});
    }, 0);
  };
  const start = async (name: string, env: Record<string, string>) => {
    try {
      const factory = factories.get(name);
      if (!factory) throw new Error(`this process hosts no service named ${name}`);
      const merged = { ...process.env, ...env };
      const transport = await shared.for(merged);
      const service = factory({ env: merged, ...(transport ? { transport } : {}) });
      running.set(name, service);
      const url = await service.start();
      process.send?.({ type: 'ready', name, url });
    } catch (error) {
      console.error(`${name} failed to start:`, sourceMappedStack(inspect(error)));
      await stopOne(name);
      process.send?.({ type: 'failed', name, error: String((error as Error).message) });
    }
  };

  onProcessEnd(() => void stopAll());
  process.on('message', (message: { type?: string; name?: string; env?: Record<string, string> }) => {
    if (stopping || !message?.name) return;
    if (message.type === 'start') void start(message.name, message.env ?? {});
    if (message.type === 'stop')
      void stopOne(message.name).then(() => process.send?.({ type: 'stopped', name: message.name }));
  });
  process.send?.({ type: 'loaded' });
}
