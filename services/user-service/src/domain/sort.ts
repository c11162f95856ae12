/** `field,direction` as in Spring Data, restricted to an allow-list of fields. */
export interface SortOrder<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
}

export function parseSort<F extends string>(
  raw: string,
  allowed: readonly F[],
): SortOrder<F> | { error: string } {
  const [field = '', direction = 'asc', ...rest] = raw.split(',').map((s) => s.trim());
  const dir = direction.toLowerCase();
  if (
    rest.length > 0 ||
    !(allowed as readonly string[]).includes(field) ||
    (dir !== 'asc' && dir !== 'desc')
  ) {
    return { error: `Sort must be one of ${allowed.join(', ')} followed by ,asc or ,desc` };
  }
  return { field: field as F, direction: dir };
}
