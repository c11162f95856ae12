import {
  currentTraceId,
  type Expression,
  type Insertable,
  type Kysely,
  type MessagingTables,
  type RawBuilder,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from '@sagamart/kit';
import type { OrderStatus } from '../domain/order-status.ts';
import type { SagaState } from '../domain/saga.ts';
import type { TimelineEvent, TimelineFacts } from '../domain/timeline.ts';
import type { OrderDb } from './schema.ts';

export type Db = Kysely<OrderDb & MessagingTables>;
export type Trx = Transaction<OrderDb & MessagingTables>;
export type OrderRow = Selectable<OrderDb['orders']>;
export type ItemRow = Selectable<OrderDb['order_items']>;
export type SagaRow = Selectable<OrderDb['sagas']>;

/** A row as json_agg gives it: timestamps are ISO strings (bigints are numbers, as our parser makes them). */
export type Json<Row> = {
  [K in keyof Row]: Row[K] extends Date ? string : Row[K] extends Date | null ? string | null : Row[K];
};

/**
 * The rows of a sub-select as one JSON array column (`[]` when none), in the given column's order:
 * a parent and its children in one statement.
 */
export function jsonRows<Row>(rows: Expression<unknown>, orderBy: string): RawBuilder<Row[]> {
  return sql<
    Row[]
  >`(select coalesce(json_agg(r order by ${sql.ref(`r.${orderBy}`)}), '[]') from ${rows} as r)`;
}

export function sagaState(row: SagaRow): SagaState {
  return { phase: row.phase, steps: row.steps, cursor: row.cursor, compensations: row.compensations };
}

/**
 * The order and its saga, both row-locked (in one statement; the order's row is locked first, as the
 * FROM list goes): every state change of an order goes through here, or through a write that checks
 * both are still as read (`SagaWrite.expect`). `items` reads the order's lines in the same statement.
 */
export async function lockOrder(
  trx: Trx,
  orderId: string,
  options: { items?: boolean } = {},
): Promise<{ order: OrderRow; saga: SagaRow; items?: ItemRow[] } | undefined> {
  const row = await trx
    .selectFrom('orders as o')
    .innerJoin('sagas as s', 's.order_id', 'o.id')
    .selectAll('o')
    .select(sql<Json<SagaRow>>`to_json(s)`.as('locked_saga'))
    .$if(options.items === true, (qb) =>
      qb.select((eb) =>
        jsonRows<ItemRow>(
          eb.selectFrom('order_items as i').selectAll('i').whereRef('i.order_id', '=', 'o.id'),
          'line_no',
        ).as('locked_items'),
      ),
    )
    .where('o.id', '=', orderId)
    .forUpdate(['o', 's'])
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    locked_saga: saga,
    locked_items: items,
    ...order
  } = row as typeof row & { locked_items?: ItemRow[] };
  const date = (t: string | null) => (t === null ? null : new Date(t));
  return {
    order,
    saga: {
      ...saga,
      next_attempt_at: date(saga.next_attempt_at)!,
      phase_since: date(saga.phase_since)!,
      lease_until: date(saga.lease_until),
      created_at: date(saga.created_at)!,
      updated_at: date(saga.updated_at)!,
    },
    ...(items ? { items } : {}),
  };
}

/**
 * A write that expected the order or its saga as read and found them changed (its transaction rolls
 * back): the caller locks them and looks again.
 */
export class StaleOrderState extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} or its saga changed since it was read`);
    this.name = 'StaleOrderState';
  }
}

export function loadItems(db: Db | Trx, orderId: string): Promise<ItemRow[]> {
  return db
    .selectFrom('order_items')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .execute();
}

export async function addTimeline(
  trx: Trx,
  orderId: string,
  event: TimelineEvent,
  status: OrderStatus,
  recorded: { note?: string | null; facts?: TimelineFacts } = {},
): Promise<void> {
  await writeAll(trx, [timelineRow(orderId, event, status, recorded)]);
}

/**
 * A write whose answer nobody reads (a timeline or saga-log row, the saga's next state), made as a
 * CTE of the statement that follows it in the same transaction (`alongside`): one round trip and one
 * statement instead of one each.
 */
export type SideWrite =
  | { table: 'order_timeline'; row: Insertable<OrderDb['order_timeline']> }
  | { table: 'saga_log'; row: Insertable<OrderDb['saga_log']> }
  | SagaWrite;

/**
 * The saga's next state. With `expect`, written only if the saga is still at that version and leased
 * to that owner or to no one (what a claim read, without a lock): otherwise the statement that carries
 * it throws StaleOrderState.
 */
export interface SagaWrite {
  table: 'sagas';
  orderId: string;
  set: SagaUpdate;
  expect?: { version: number; leaseOwner: string } | undefined;
}

/** The saga's columns to set: values, or SQL (`clock_timestamp()`). */
export type SagaUpdate = {
  [K in keyof Updateable<OrderDb['sagas']>]: Updateable<OrderDb['sagas']>[K] | RawBuilder<unknown>;
};

/**
 * `note`: words a person wrote (an admin's reason) or a code; `facts`: what the entry reports, which
 * the reader's language words (never a sentence built here).
 */
export function timelineRow(
  orderId: string,
  event: TimelineEvent,
  status: OrderStatus,
  recorded: { note?: string | null; facts?: TimelineFacts } = {},
): SideWrite {
  return {
    table: 'order_timeline',
    row: {
      order_id: orderId,
      event,
      status,
      note: recorded.note ?? null,
      facts: recorded.facts ? json(recorded.facts) : null,
    },
  };
}

/**
 * The payment's outcome in the saga's log, beside the participants' calls: the admin's saga timeline
 * shows the whole workflow, and the trace of the event that brought it.
 */
export function paymentLogRow(
  orderId: string,
  entry: {
    action: 'pay' | 'compensate';
    outcome: 'DONE' | 'REFUSED';
    facts: TimelineFacts;
    /** The PG's own words, when it gave any (a refusal's message). */
    detail?: string;
  },
): SideWrite {
  return {
    table: 'saga_log',
    row: {
      order_id: orderId,
      step: 'payment',
      action: entry.action,
      outcome: entry.outcome,
      attempt: 1,
      detail: entry.detail?.slice(0, 300) ?? null,
      facts: json(entry.facts),
      duration_ms: null,
      trace_id: currentTraceId() ?? null,
    },
  };
}

/** The statements `alongside` can build, each with the side writes in front of it. */
export type Alongside = Pick<Trx, 'updateTable' | 'insertInto' | 'selectNoFrom'>;

const sideWriteName = (i: number) => `side_write_${i}`;

/**
 * `trx` with the side writes as data-modifying CTEs: the statement built from it makes them too, all
 * or nothing, in the caller's transaction (a CTE runs to completion whether or not the statement
 * reads it). That statement must not read the rows they write: it does not see them. A saga write
 * with `expect` returns its row, so that the statement can report whether it was made
 * (`expectationsMet`).
 */
export function alongside(trx: Trx | Db, writes: readonly SideWrite[]): Alongside {
  // A CTE only adds its name to the query creator's tables; the statements built here do not read it.
  let creator = trx as Trx;
  writes.forEach((write, i) => {
    creator = creator.with(sideWriteName(i), (db) =>
      write.table === 'sagas'
        ? write.expect
          ? sagaUpdate(db, write).returning('order_id')
          : sagaUpdate(db, write)
        : write.table === 'order_timeline'
          ? db.insertInto('order_timeline').values(write.row)
          : db.insertInto('saga_log').values(write.row),
    ) as unknown as Trx;
  });
  return creator;
}

function sagaUpdate(db: Pick<Trx, 'updateTable'>, write: SagaWrite) {
  const update = db
    .updateTable('sagas')
    .set(write.set as Updateable<OrderDb['sagas']>)
    .where('order_id', '=', write.orderId);
  const { expect } = write;
  if (!expect) return update;
  return update
    .where('version', '=', expect.version)
    .where((eb) => eb.or([eb('lease_owner', '=', expect.leaseOwner), eb('lease_owner', 'is', null)]));
}

/**
 * Whether the saga writes with `expect` among `writes` (CTEs of the statement, as `alongside` names
 * them) were made: for the statement's RETURNING list. True when there is none.
 */
export function expectationsMet(writes: readonly SideWrite[]): RawBuilder<boolean> {
  const checks = writes.flatMap((write, i) =>
    write.table === 'sagas' && write.expect ? [sql`exists (select from ${sql.table(sideWriteName(i))})`] : [],
  );
  return checks.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(checks, sql` and `)})`;
}

/**
 * The side writes in one statement, when no other statement follows them. With a saga write's
 * `expect`, all of them are CTEs of a statement that answers whether it held: StaleOrderState if not.
 */
export async function writeAll(trx: Trx, writes: readonly SideWrite[]): Promise<void> {
  const expected = writes.find((w): w is SagaWrite => w.table === 'sagas' && w.expect !== undefined);
  if (expected) {
    const row = await alongside(trx, writes)
      .selectNoFrom(expectationsMet(writes).as('met'))
      .executeTakeFirst();
    if (row?.met !== true) throw new StaleOrderState(expected.orderId);
    return;
  }
  const last = writes.at(-1);
  if (!last) return;
  const db = alongside(trx, writes.slice(0, -1));
  if (last.table === 'sagas') await sagaUpdate(db, last).execute();
  else if (last.table === 'order_timeline') await db.insertInto('order_timeline').values(last.row).execute();
  else await db.insertInto('saga_log').values(last.row).execute();
}

/** Writes JSON columns (Kysely passes arrays to pg as Postgres arrays otherwise). */
export function json<T>(value: T): T {
  return JSON.stringify(value) as unknown as T;
}
