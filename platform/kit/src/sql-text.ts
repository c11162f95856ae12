/** Helpers for SQL text and PostgreSQL errors: pure, no I/O. */

/** Escapes `\`, `%` and `_` so that text matches itself in a LIKE/ILIKE pattern (escape char `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching values that contain `text` anywhere. */
export function likeContains(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A LIKE pattern matching values that start with `text`. */
export function likePrefix(text: string): string {
  return `${escapeLike(text)}%`;
}

/** PostgreSQL's unique_violation (23505), optionally of one constraint or unique index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string } | undefined;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/**
 * PostgreSQL's deadlock_detected (40P01) or serialization_failure (40001): the transaction was rolled
 * back only because of a concurrent one, and running it again is expected to succeed.
 */
export function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * The statement failed for others' work on the same rows or tables, not for anything in its own
 * input: a conflict (above), a lock not available (55P03), or a statement PostgreSQL cancelled at
 * its bound (57014, statement_timeout: ADR 0021), which a wait on a lock held by long work (a
 * catalog rebuild's swap) reaches. The same work later is expected to go through.
 */
export function isDatabaseContention(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return isTransactionConflict(error) || code === '55P03' || code === '57014';
}
