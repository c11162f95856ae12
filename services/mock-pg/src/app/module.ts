import type { ServiceContext } from '@sagamart/kit';
import type { MockPgDb } from '../infra/schema.ts';
import { PgPayments } from './pg-payments.ts';

export interface PgModule {
  payments: PgPayments;
}

const modules = new WeakMap<ServiceContext<MockPgDb>, PgModule>();

export function pgModule(ctx: ServiceContext<MockPgDb>): PgModule {
  let module = modules.get(ctx);
  if (!module) {
    module = { payments: new PgPayments(ctx) };
    modules.set(ctx, module);
  }
  return module;
}
