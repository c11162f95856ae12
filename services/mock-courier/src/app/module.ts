import type { ServiceContext } from '@sagamart/kit';
import type { MockCourierDb } from '../infra/schema.ts';
import { Courier } from './courier.ts';

const modules = new WeakMap<ServiceContext<MockCourierDb>, Courier>();

/** The courier of one running mock-courier, wired once per service context. */
export function courierModule(ctx: ServiceContext<MockCourierDb>): Courier {
  let courier = modules.get(ctx);
  if (!courier) {
    courier = new Courier(ctx);
    modules.set(ctx, courier);
  }
  return courier;
}
