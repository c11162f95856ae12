import type { ServiceContext } from '@sagamart/kit';
import type { TraceDb } from '../infra/schema.ts';
import { SpanStore } from '../infra/span-store.ts';
import { type RetentionSettings, SpanCollector } from './span-collector.ts';

export interface TraceModule {
  store: SpanStore;
  collector: SpanCollector;
  settings: () => RetentionSettings;
}

const modules = new WeakMap<ServiceContext<TraceDb>, TraceModule>();

export function traceModule(ctx: ServiceContext<TraceDb>): TraceModule {
  let module = modules.get(ctx);
  if (!module) {
    const store = new SpanStore(ctx.db);
    const settings = (): RetentionSettings => ({
      maxAgeMs: ctx.config.number('traces.retention.maxAgeMs'),
      maxSpans: ctx.config.number('traces.retention.maxSpans'),
    });
    module = { store, settings, collector: new SpanCollector(store, settings, ctx.log) };
    modules.set(ctx, module);
  }
  return module;
}
