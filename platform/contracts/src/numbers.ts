import { Type } from 'typebox';

// Number building blocks for schemas, so every route and event bounds its numbers the same way. The
// kit also bounds any unbounded integer to ±MAX_SAFE_INTEGER; these say what the column can hold.

/** Largest PostgreSQL `integer` (and `serial`). */
export const INT32_MAX = 2_147_483_647;

/** An id keyed by a PostgreSQL `serial`/`integer` column: 2147483648 is refused, not sent to SQL. */
export const Int32Id = (options: { description?: string } = {}) =>
  Type.Integer({ minimum: 1, maximum: INT32_MAX, ...options });
