import type { EventContract, EventPayload } from '@sagamart/contracts';
import { type ConfigTree, defineService, type Service } from '@sagamart/kit';
// A cycle with index.ts, used only once a probe starts (not while the modules load).
import { startTestService } from './index.ts';

/** Stands in for the services whose events a test needs: publishes them through its own outbox. */
const publisherService = defineService({ name: 'event-probe', port: 0, migrations: {} });

export class EventProbe {
  private constructor(readonly service: Service<unknown>) {}

  /** On the deployment's bus (`config` without its own database: the probe needs none). */
  static async start(config: ConfigTree): Promise<EventProbe> {
    const { database: _own, ...shared } = config;
    return new EventProbe(await startTestService(publisherService, { config: shared }));
  }

  /** Publishes one event; the same `messageId` twice is a redelivery of one event. */
  async publish<C extends EventContract>(contract: C, payload: EventPayload<C>, messageId?: string) {
    const ctx = this.service.context;
    return ctx.transaction((trx) => ctx.publish(trx, contract, payload, messageId ? { messageId } : {}));
  }

  stop() {
    return this.service.stop();
  }
}
