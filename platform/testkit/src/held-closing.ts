import type { IncomingMessage } from 'node:http';
import { defineService, type ServiceFactory, type ServiceOptions } from '@sagamart/kit';
import { eventually, startTestService } from './index.ts';

/** An instance whose close a test holds half-way (`startHeldClosing`). */
export interface HeldClosing {
  url: string;
  /** The method of every request that reached the instance since its close began. */
  asked: string[];
  /** The method of every request one of its routes ran. */
  ran: string[];
  /** Begins the instance's close, and waits until it refuses requests as shutting down. */
  startClosing(): Promise<void>;
  /** Lets the close finish (or stops the instance if it never began closing). */
  stop(): Promise<void>;
}

/**
 * Starts a service whose closing the test holds: its own closing work (a preClose hook, as a socket
 * hub's stop) is not done, so it still accepts connections while the kit refuses every request with
 * 503 `shutting-down`, as it refuses one that reaches an instance between the start of its close and
 * the moment it stops listening. `probePath` is any path of the service, asked until it refuses.
 */
export async function startHeldClosing<DB>(
  factory: ServiceFactory<DB>,
  probePath: string,
  options: ServiceOptions = {},
): Promise<HeldClosing> {
  const { definition } = factory;
  const asked: string[] = [];
  const ran: string[] = [];
  let finishClosing!: () => void;
  const closeHeld = new Promise<void>((resolve) => {
    finishClosing = resolve;
  });
  const service = await startTestService(
    defineService<DB>({
      ...definition,
      async routes(app, ctx) {
        app.addHook('preClose', () => closeHeld);
        app.addHook('preHandler', async (req) => void ran.push(req.method));
        await definition.routes?.(app, ctx);
      },
    }),
    options,
  );
  service.app.server.on('request', (req: IncomingMessage) => asked.push(req.method ?? ''));
  let stopped: Promise<void> | undefined;
  return {
    url: service.url,
    asked,
    ran,
    async startClosing() {
      stopped = service.stop();
      await eventually(async () => {
        const res = await fetch(`${service.url}${probePath}`);
        const body = (await res.json()) as { type?: string };
        return res.status === 503 && body.type === 'urn:sagamart:problem:shutting-down';
      });
      asked.length = 0;
    },
    stop() {
      finishClosing();
      return stopped ?? service.stop();
    },
  };
}
