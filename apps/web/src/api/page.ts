/** A Spring-style page of results. `page` is zero-based. */
export interface Page<T> {
  content: T[];
  page: number;
  size: number;
  totalElements: number;
  totalPages: number;
  first: boolean;
  last: boolean;
}

/** Paging (and optional sort, `field,asc|desc`) as sent in query strings. */
export interface PageRequest {
  page: number;
  size: number;
  sort?: string;
}
