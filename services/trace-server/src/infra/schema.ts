import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';

export interface TraceDb {
  spans: {
    /** Arrival order: the count bound drops the oldest rows by it. */
    row_id: Generated<string>;
    trace_id: string;
    span_id: string;
    parent_id: string | null;
    /** localEndpoint.serviceName, lower case ('unknown' when absent), as Zipkin indexes it. */
    service_name: string;
    remote_service_name: string | null;
    name: string;
    kind: string | null;
    /** Start, microseconds since the epoch. */
    timestamp_us: string;
    duration_us: string | null;
    error: boolean;
    /** The span as received, ids in lower case: what the read API answers. */
    span: unknown;
    received_at: Generated<Date>;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_spans': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('spans')
        .addColumn('row_id', 'bigserial', (c) => c.primaryKey())
        .addColumn('trace_id', 'text', (c) => c.notNull())
        .addColumn('span_id', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('service_name', 'text', (c) => c.notNull())
        .addColumn('remote_service_name', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text')
        .addColumn('timestamp_us', 'bigint', (c) => c.notNull())
        .addColumn('duration_us', 'bigint')
        .addColumn('error', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('span', 'jsonb', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // An exporter that retries a batch sends the same spans again: they are stored once.
      await sql`create unique index spans_identity on spans (trace_id, span_id, service_name, coalesce(kind, ''))`.execute(
        db,
      );
      await db.schema
        .createIndex('spans_service_time')
        .on('spans')
        .columns(['service_name', 'timestamp_us'])
        .execute();
      await db.schema.createIndex('spans_time').on('spans').column('timestamp_us').execute();
    },
  },
};
