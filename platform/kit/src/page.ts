import { type Static, type TSchema, Type } from 'typebox';
import { badRequest } from './errors.ts';

/** Spring-style page: `page` is zero-based. */
export interface Page<T> {
  content: T[];
  page: number;
  size: number;
  totalElements: number;
  totalPages: number;
  first: boolean;
  last: boolean;
}

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type PageQuery = Static<typeof PageQuery>;

export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object({
    content: Type.Array(item),
    page: Type.Integer(),
    size: Type.Integer(),
    totalElements: Type.Integer(),
    totalPages: Type.Integer(),
    first: Type.Boolean(),
    last: Type.Boolean(),
  });
}

export function toPage<T>(content: T[], totalElements: number, page: number, size: number): Page<T> {
  const totalPages = Math.ceil(totalElements / size);
  return { content, page, size, totalElements, totalPages, first: page === 0, last: page >= totalPages - 1 };
}

export type SortDirection = 'asc' | 'desc';

/** One sort order: a field a service allows, and its direction. */
export interface SortOrder<F extends string = string> {
  field: F;
  direction: SortDirection;
}

/**
 * The `sort` query parameter, in Spring Data's `Pageable` form and repeatable:
 * `sort=price,desc&sort=name` (direction defaults to asc; `sort=a,b,desc` sorts both by desc).
 * A single value arrives as a one-element array. Read it with `parseSort`.
 */
export const SortParam = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), {
  maxItems: 5,
  description: 'field,asc|desc (Spring Pageable form), repeatable; or one of the service’s sort tokens',
});

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
