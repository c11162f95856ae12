import type { Page } from '@sagamart/contracts/http/page';
import { type Static, Type } from 'typebox';
import { badRequest } from './errors.ts';

// The page shape is a public HTTP contract (the web reads it too); the kit re-exports it for services.
export { type Page, PageSchema, SortParam } from '@sagamart/contracts/http/page';

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type PageQuery = Static<typeof PageQuery>;

export function toPage<T>(content: T[], totalElements: number, page: number, size: number): Page<T> {
  const totalPages = Math.ceil(totalElements / size);
  return { content, page, size, totalElements, totalPages, first: page === 0, last: page >= totalPages - 1 };
}

/**
 * The total a page reports when its rows and its count were read in two statements: a row committed
 * between them must not give a page whose total contradicts its content. A page with rows that is
 * not full is the last one, so its rows say exactly how many there are (as Spring Data's
 * PageableExecutionUtils does); a full page proves at least that many; an empty page, at most the
 * rows before it.
 */
export function reconcileTotal(counted: number, rowsOnPage: number, page: number, size: number): number {
  const before = page * size;
  if (rowsOnPage === size) return Math.max(counted, before + size);
  if (rowsOnPage > 0) return before + rowsOnPage;
  return page === 0 ? 0 : Math.min(counted, before);
}

export type SortDirection = 'asc' | 'desc';

/** One sort order: a field a service allows, and its direction. */
export interface SortOrder<F extends string = string> {
  field: F;
  direction: SortDirection;
}

export interface SortSpec<F extends string> {
  /** Fields that may be named in the Spring form. */
  fields: readonly F[];
  /** A service's own whole-value tokens (e.g. price_asc), each standing for a list of orders. */
  tokens?: Readonly<Record<string, readonly SortOrder<F>[]>>;
}

/**
 * Parses `sort` values into orders (empty when none is given: the caller's default applies).
 * Throws a 400 problem naming the accepted fields and tokens for anything else.
 */
export function parseSort<F extends string>(
  raw: string | readonly string[] | undefined,
  spec: SortSpec<F>,
): SortOrder<F>[] {
  const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  const orders: SortOrder<F>[] = [];
  const add = (order: SortOrder<F>) => {
    if (!orders.some((o) => o.field === order.field)) orders.push(order);
  };
  for (const value of values) {
    const token = tokenOrders(spec, value.trim());
    if (token) {
      for (const order of token) add(order);
      continue;
    }
    const parts = value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const last = parts.at(-1)?.toLowerCase();
    const direction: SortDirection = last === 'desc' ? 'desc' : 'asc';
    const fields = last === 'asc' || last === 'desc' ? parts.slice(0, -1) : parts;
    const unknown =
      fields.length === 0 ? '' : fields.find((f) => !(spec.fields as readonly string[]).includes(f));
    if (unknown !== undefined) {
      const message = sortProblem(value, unknown, spec);
      throw badRequest(message, [{ field: 'sort', message }]);
    }
    for (const field of fields) add({ field: field as F, direction });
  }
  return orders;
}

function tokenOrders<F extends string>(spec: SortSpec<F>, value: string) {
  return spec.tokens && Object.hasOwn(spec.tokens, value) ? spec.tokens[value] : undefined;
}

function sortProblem(value: string, unknown: string, spec: SortSpec<string>): string {
  const tokens = Object.keys(spec.tokens ?? {});
  const field = unknown && unknown !== value.trim() ? ` ("${unknown.slice(0, 40)}" is not a sort field)` : '';
  return (
    `Cannot sort by "${value.slice(0, 80)}"${field}: use field,asc or field,desc with a field of ${spec.fields.join(', ')}` +
    (tokens.length ? `, or one of ${tokens.join(', ')}` : '')
  );
}
