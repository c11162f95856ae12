import { sql } from '@sagamart/kit';

/** A JSON value bound as jsonb (pg would send a JS array as a PostgreSQL array). */
export const jsonb = <T>(value: T) => sql<T>`${JSON.stringify(value)}::jsonb`;

/** PostgreSQL's unique_violation, optionally on one constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** foreign_key_violation */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23503';
}
