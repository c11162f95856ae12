import type { DependencyLink, ZipkinSpan } from '@sagamart/contracts/http/tracing';
import { type Kysely, sql } from '@sagamart/kit';
import type { AnnotationTerm, StoredSpan } from '../domain/spans.ts';
import type { TraceDb } from './schema.ts';

export interface TraceSearch {
  serviceName?: string | undefined;
  spanName?: string | undefined;
  terms: AnnotationTerm[];
  minDurationUs?: number | undefined;
  maxDurationUs?: number | undefined;
  fromUs: number;
  toUs: number;
  limit: number;
}

export class SpanStore {
  constructor(private readonly db: Kysely<TraceDb>) {}

  /** Stores the spans not stored yet; answers how many were new. */
  async insert(spans: StoredSpan[]): Promise<number> {
    if (spans.length === 0) return 0;
    const result = await this.db
      .insertInto('spans')
      .values(
        spans.map((s) => ({
          trace_id: s.traceId,
          span_id: s.spanId,
          parent_id: s.parentId,
          service_name: s.serviceName,
          remote_service_name: s.remoteServiceName,
          name: s.name,
          kind: s.kind,
          timestamp_us: String(s.timestampUs),
          duration_us: s.durationUs === null ? null : String(s.durationUs),
          error: s.error,
          span: JSON.stringify(s.span),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('spans')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Deletes up to `limit` of the earliest-arrived spans; answers how many went. */
  async deleteOldest(limit: number): Promise<number> {
    const result = await sql`
      delete from spans where row_id in (
        select row_id from spans order by row_id limit ${limit} for update skip locked)`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Deletes up to `limit` spans that started before `cutoffUs`. */
  async deleteStartedBefore(cutoffUs: number, limit: number): Promise<number> {
    const result = await sql`
      delete from spans where row_id in (
        select row_id from spans where timestamp_us < ${cutoffUs} limit ${limit} for update skip locked)`.execute(
      this.db,
    );
    return Number(result.numAffectedRows ?? 0);
  }

  async serviceNames(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('spans')
      .select('service_name')
      .distinct()
      .orderBy('service_name')
      .execute();
    return rows.map((r) => r.service_name);
  }

  async spanNames(serviceName: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('spans')
      .select('name')
      .distinct()
      .where('service_name', '=', serviceName.toLowerCase())
      .where('name', '!=', '')
      .orderBy('name')
      .execute();
    return rows.map((r) => r.name);
  }

  async remoteServiceNames(serviceName: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('spans')
      .select('remote_service_name')
      .distinct()
      .where('service_name', '=', serviceName.toLowerCase())
      .where('remote_service_name', 'is not', null)
      .orderBy('remote_service_name')
      .execute();
    return rows.map((r) => r.remote_service_name as string);
  }

  async trace(traceId: string): Promise<ZipkinSpan[]> {
    const rows = await this.db
      .selectFrom('spans')
      .select('span')
      .where('trace_id', '=', traceId.toLowerCase())
      .orderBy('timestamp_us')
      .execute();
    return rows.map((r) => r.span as ZipkinSpan);
  }

  /** The newest traces with a span matching every criterion, each with all its spans. */
  async search(search: TraceSearch): Promise<ZipkinSpan[][]> {
    let query = this.db
      .selectFrom('spans')
      .select(['trace_id', (eb) => eb.fn.max('timestamp_us').as('latest')])
      .where('timestamp_us', '>=', String(search.fromUs))
      .where('timestamp_us', '<=', String(search.toUs));
    if (search.serviceName) query = query.where('service_name', '=', search.serviceName.toLowerCase());
    if (search.spanName && search.spanName !== 'all')
      query = query.where('name', '=', search.spanName.toLowerCase());
    if (search.minDurationUs !== undefined)
      query = query.where('duration_us', '>=', String(search.minDurationUs));
    if (search.maxDurationUs !== undefined)
      query = query.where('duration_us', '<=', String(search.maxDurationUs));
    for (const term of search.terms) {
      if (term.kind === 'error') query = query.where('error', '=', true);
      else if (term.kind === 'tag' && term.value !== undefined)
        query = query.where(sql<boolean>`span->'tags'->>${term.key} = ${term.value}`);
      else {
        const value = term.kind === 'tag' ? term.key : term.value;
        query = query.where(
          sql<boolean>`(span->'tags' ? ${value} or span->'annotations' @> ${JSON.stringify([{ value }])}::jsonb)`,
        );
      }
    }
    const found = await query.groupBy('trace_id').orderBy('latest', 'desc').limit(search.limit).execute();
    if (found.length === 0) return [];
    const ids = found.map((r) => r.trace_id);
    const rows = await this.db
      .selectFrom('spans')
      .select(['trace_id', 'span'])
      .where('trace_id', 'in', ids)
      .orderBy('timestamp_us')
      .execute();
    const byTrace = new Map<string, ZipkinSpan[]>(ids.map((id) => [id, []]));
    for (const row of rows) byTrace.get(row.trace_id)?.push(row.span as ZipkinSpan);
    return ids.map((id) => byTrace.get(id) ?? []);
  }

  /**
   * Service-to-service links in the window: a span whose parent belongs to another service is a
   * call (or an event hop) from the parent's service to its own; errors are the child's.
   */
  async dependencies(fromUs: number, toUs: number): Promise<DependencyLink[]> {
    const result = await sql<{ parent: string; child: string; calls: string; errors: string }>`
      select p.service_name as parent, c.service_name as child,
             count(*) as calls, count(*) filter (where c.error) as errors
        from spans c
        join spans p on p.trace_id = c.trace_id and p.span_id = c.parent_id
       where c.timestamp_us between ${fromUs} and ${toUs}
         and p.service_name <> c.service_name
       group by 1, 2
       order by 1, 2`.execute(this.db);
    return result.rows.map((r) => ({
      parent: r.parent,
      child: r.child,
      callCount: Number(r.calls),
      errorCount: Number(r.errors),
    }));
  }
}
