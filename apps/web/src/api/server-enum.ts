/**
 * A runtime list of a server enum's members, for pickers and URL parsing. The enum itself is the
 * server's schema (imported as a type, so the bundle carries no schema library); this list is checked
 * against it at compile time both ways: an unknown member and a missing one are type errors.
 *
 *   export const ORDER_STATUSES = serverEnum<OrderStatus>()(['PENDING', 'PAID', ...]);
 */
export function serverEnum<T extends string>() {
  return <const L extends readonly T[]>(
    list: L,
    ..._complete: [T] extends [L[number]] ? [] : [missing: Exclude<T, L[number]>]
  ): L => list;
}
