import { ChangeWaiters, type ServiceContext } from '@sagamart/kit';
import { Participants } from '../infra/participants.ts';
import type { OrderDb } from '../infra/schema.ts';
import { OrderAfterSale } from './after-sale.ts';
import { OrderLifecycle } from './order-lifecycle.ts';
import { OrderReads } from './order-reads.ts';
import { OrderTransitions } from './order-transitions.ts';
import { PlaceOrder } from './place-order.ts';
import { Pricing } from './pricing.ts';
import { RecoveryWorker } from './recovery-worker.ts';
import { SagaRunner } from './saga-runner.ts';
import { sagaSteps } from './saga-steps.ts';

/** The use cases of one running order-service, wired once per service context. */
export interface OrderModule {
  placeOrder: PlaceOrder;
  lifecycle: OrderLifecycle;
  afterSale: OrderAfterSale;
  reads: OrderReads;
  /**
   * Long-polled order reads (GET /api/orders/:id?whileStatus=…), keyed by order id: woken when this
   * process commits a change to the order, and reading again on their own for another instance's.
   */
  changes: ChangeWaiters;
  runner: SagaRunner;
  worker: RecoveryWorker;
}

const modules = new WeakMap<ServiceContext<OrderDb>, OrderModule>();

export function orderModule(ctx: ServiceContext<OrderDb>): OrderModule {
  let module = modules.get(ctx);
  if (!module) {
    const participants = new Participants(ctx as ServiceContext<unknown>);
    const transitions = new OrderTransitions(ctx);
    const changes = new ChangeWaiters();
    const runner = new SagaRunner(ctx, sagaSteps(participants), transitions, changes);
    const lifecycle = new OrderLifecycle(ctx, transitions, runner, participants);
    const reads = new OrderReads(ctx);
    module = {
      placeOrder: new PlaceOrder(ctx, new Pricing(participants), runner, reads),
      lifecycle,
      afterSale: new OrderAfterSale(ctx, transitions),
      reads,
      changes,
      runner,
      worker: new RecoveryWorker(ctx, runner, lifecycle),
    };
    modules.set(ctx, module);
  }
  return module;
}
