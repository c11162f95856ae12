import { type TSchema, Type } from 'typebox';

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

/**
 * The `sort` query parameter, in Spring Data's `Pageable` form and repeatable:
 * `sort=price,desc&sort=name` (direction defaults to asc; `sort=a,b,desc` sorts both by desc).
 * A single value arrives as a one-element array. Read it with `parseSort`.
 */
export const SortParam = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), {
  maxItems: 5,
  description: 'field,asc|desc (Spring Pageable form), repeatable; or one of the service’s sort tokens',
});
