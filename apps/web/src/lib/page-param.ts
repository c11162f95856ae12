// Pages are one-based in URLs (`?page=2` is the second page, as people read it) and zero-based in
// the API, like Spring's Pageable. These two functions are the only place that converts.

/** The zero-based page index from a one-based `page` URL parameter; 0 when missing or invalid. */
export function readPageIndex(params: URLSearchParams, name = 'page'): number {
  const raw = params.get(name);
  const value = Number(raw);
  return raw !== null && Number.isInteger(value) && value >= 1 ? value - 1 : 0;
}

/** The `page` URL parameter for a zero-based index; null for the first page, which needs none. */
export function pageParamValue(index: number): string | null {
  return index > 0 ? String(index + 1) : null;
}
