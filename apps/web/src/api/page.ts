/** A Spring-style page of results (`page` is zero-based), as the services define it. */
export type { Page } from '@sagamart/contracts/http/page';

/** Paging (and optional sort, `field,asc|desc`) as sent in query strings. */
export interface PageRequest {
  page: number;
  size: number;
  sort?: string;
}
