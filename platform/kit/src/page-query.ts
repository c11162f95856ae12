import type { SelectQueryBuilder, Simplify } from 'kysely';
import { type Page, reconcileTotal, toPage } from './page.ts';

// biome-ignore lint/complexity/noBannedTypes: Kysely's selection before any column is chosen is {}
type NoSelection = {};

/**
 * One page of a filtered query, Spring style: runs the count and the page query in parallel (the page
 * can stop early along an index; a window count would force the planner through every match first).
 * They read two snapshots, so the total is reconciled with the rows (`reconcileTotal`).
 * `filtered` holds the FROM, joins and WHERE; `select` adds the columns and the order.
 */
export async function fetchPage<DB, TB extends keyof DB, O, T = Simplify<O>>(
  filtered: SelectQueryBuilder<DB, TB, NoSelection>,
  select: (query: SelectQueryBuilder<DB, TB, NoSelection>) => SelectQueryBuilder<DB, TB, O>,
  request: { page: number; size: number },
  map: (rows: Simplify<O>[]) => T[] | Promise<T[]> = (rows) => rows as unknown as T[],
): Promise<Page<T>> {
  const [rows, count] = await Promise.all([
    select(filtered)
      .limit(request.size)
      .offset(request.page * request.size)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  // The generic selection hides the alias from the type; the row has exactly `n`.
  const counted = Number((count as { n: number | string }).n);
  const total = reconcileTotal(counted, rows.length, request.page, request.size);
  return toPage(await map(rows), total, request.page, request.size);
}
