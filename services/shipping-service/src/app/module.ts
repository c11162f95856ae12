import type { ServiceContext } from '@sagamart/kit';
import { CourierClient } from '../infra/courier-client.ts';
import { ProductClient } from '../infra/product-client.ts';
import type { ShippingDb } from '../infra/schema.ts';
import { Claims } from './claims.ts';
import { Confirmations } from './confirmations.ts';
import { PickupSweep } from './pickup-sweep.ts';
import { ShippingReads } from './reads.ts';
import { readSettings } from './settings.ts';
import { Shipments } from './shipments.ts';
import { Tracker } from './tracking.ts';
import { Waybills } from './waybills.ts';

/** The use cases of one running shipping-service, wired once per service context. */
export interface ShippingModule {
  shipments: Shipments;
  waybills: Waybills;
  tracker: Tracker;
  claims: Claims;
  confirmations: Confirmations;
  pickupSweep: PickupSweep;
  reads: ShippingReads;
}

const modules = new WeakMap<ServiceContext<ShippingDb>, ShippingModule>();

export function shippingModule(ctx: ServiceContext<ShippingDb>): ShippingModule {
  let module = modules.get(ctx);
  if (!module) {
    const settings = () => readSettings(ctx.config);
    const courier = new CourierClient(ctx.client(ctx.config.string('shipping.courier.service')), () => {
      const s = settings();
      return { accountKey: s.courierAccountKey, code: s.courierCode, timeoutMs: s.courierTimeoutMs };
    });
    const products = new ProductClient(ctx.client('product-service'));
    // The loops are made below; whoever makes work wakes them after its commit.
    const wake = {
      dispatcher: (dueInMs: number) => module?.waybills.wake(dueInMs),
      tracker: (dueInMs: number) => module?.tracker.wake(dueInMs),
      pickupSweep: (dueInMs: number) => module?.pickupSweep.wake(dueInMs),
    };
    const claims = new Claims(ctx, courier, products, settings, wake);
    const waybills = new Waybills(ctx, courier, products, settings, wake.tracker);
    module = {
      shipments: new Shipments(ctx, courier, waybills, settings, wake.dispatcher),
      waybills,
      tracker: new Tracker(ctx, courier, claims, settings, wake.dispatcher),
      claims,
      confirmations: new Confirmations(ctx, settings),
      pickupSweep: new PickupSweep(ctx, claims, settings),
      reads: new ShippingReads(ctx, settings),
    };
    modules.set(ctx, module);
  }
  return module;
}
