import type { ServiceContext } from '@sagamart/kit';
import { PgClient } from '../infra/pg-client.ts';
import type { PaymentDb } from '../infra/schema.ts';
import { ClaimRefunds } from './claim-refunds.ts';
import { KnownOrders } from './known-orders.ts';
import { PaymentWorkflow } from './payment-workflow.ts';
import { Payments } from './payments.ts';
import { ReconcileSignal } from './reconcile-signal.ts';
import { Reconciler } from './reconciler.ts';
import { readSettings } from './settings.ts';

/** The use cases of one running payment-service, wired once per service context. */
export interface PaymentModule {
  orders: KnownOrders;
  payments: Payments;
  workflow: PaymentWorkflow;
  reconciler: Reconciler;
  claimRefunds: ClaimRefunds;
}

const modules = new WeakMap<ServiceContext<PaymentDb>, PaymentModule>();

export function paymentModule(ctx: ServiceContext<PaymentDb>): PaymentModule {
  let module = modules.get(ctx);
  if (!module) {
    const settings = () => readSettings(ctx.config);
    const pg = new PgClient(ctx.client(ctx.config.string('payment.pg.service')), ctx.config);
    const signal = new ReconcileSignal();
    const orders = new KnownOrders(ctx, () => settings().orderWaitMs, signal);
    const workflow = new PaymentWorkflow(ctx, pg, settings, signal);
    const claimRefunds = new ClaimRefunds(ctx, pg, settings, signal);
    module = {
      claimRefunds,
      orders,
      workflow,
      payments: new Payments(ctx, orders, workflow, pg, settings, signal),
      reconciler: new Reconciler(ctx, workflow, settings, claimRefunds, signal),
    };
    modules.set(ctx, module);
  }
  return module;
}
