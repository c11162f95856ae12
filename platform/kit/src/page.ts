import type { Page } from '@sagamart/contracts/http/page';
import { type Static, Type } from 'typebox';

// The page shape is a public HTTP contract (the web reads it too); the kit re-exports it for services.
export { type Page, PageSchema } from '@sagamart/contracts/http/page';

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type PageQuery = Static<typeof PageQuery>;

export function toPage<T>(content: T[], totalElements: number, page: number, size: number): Page<T> {
  const totalPages = Math.ceil(totalElements / size);
  return { content, page, size, totalElements, totalPages, first: page === 0, last: page >= totalPages - 1 };
}
