import { defineService } from '@sagamart/kit';
import { traceModule } from './app/module.ts';
import { migrations, type TraceDb } from './infra/schema.ts';
import { registerZipkinRoutes } from './routes/zipkin-routes.ts';

export type { TraceDb } from './infra/schema.ts';

export default defineService<TraceDb>({
  name: 'trace-server',
  port: 9411,
  description:
    "A trace collector on Zipkin's port and v2 API: services export spans to it, the admin pages read " +
    'traces, span names and the service map from it. Storage is bounded by age and by count.',
  defaults: {
    traces: {
      retention: {
        // Zipkin's own default retention is a week too.
        maxAgeMs: 7 * 24 * 60 * 60 * 1000,
        maxSpans: 200_000,
      },
    },
    // Its own spans would be exported to itself, one batch begetting the next.
    tracing: { sampleRatio: 0 },
  },
  refreshable: ['traces.retention'],
  // Exporters batch up to 512 spans; a generous limit keeps a batch with large tags whole.
  bodyLimit: 8 * 1_048_576,
  migrations,
  routes: (app, ctx) => registerZipkinRoutes(app, ctx),
  retention: (ctx) => {
    const { store, collector, settings } = traceModule(ctx);
    return [
      {
        table: 'spans',
        prune: (limit) => store.deleteStartedBefore((Date.now() - settings().maxAgeMs) * 1000, limit),
      },
      { table: 'spans', prune: (limit) => collector.trimOverflow(limit) },
    ];
  },
  async onStop(ctx) {
    await traceModule(ctx).collector.idle();
  },
});
