/**
 * Where a reader of the revocation feed is (ADR 0018). Entries are read in (xid, seq) order, xid being
 * the PostgreSQL transaction that wrote the entry. Every transaction below a snapshot's xmin has ended,
 * so no entry below it can appear later; one at or above it can, and is read again by the next pass.
 */
export interface RevocationCursor {
  /** Read the entries after this (xid, seq). */
  afterXid: bigint;
  afterSeq: bigint;
  /** Inside a pass of full pages: the xmin of the pass's first page, where the next pass starts. */
  passXmin: bigint | undefined;
}

export const FEED_START: RevocationCursor = { afterXid: 0n, afterSeq: 0n, passXmin: undefined };

/** `xid` (a pass starts there; seqs start at 1) or `xid.seq.passXmin`; the contract checks the digits. */
export function parseRevocationCursor(text: string): RevocationCursor {
  const [xid, seq, passXmin] = text.split('.');
  return {
    afterXid: BigInt(xid!),
    afterSeq: BigInt(seq ?? 0),
    passXmin: passXmin === undefined ? undefined : BigInt(passXmin),
  };
}

/**
 * The cursor after a page read at a snapshot with `xmin`: a page shorter than the limit ends the pass,
 * and the next one starts at the pass's first xmin; a full page goes on after its last entry.
 */
export function nextRevocationCursor(
  cursor: RevocationCursor,
  xmin: bigint,
  last: { xid: bigint; seq: bigint } | undefined,
  full: boolean,
): string {
  const passXmin = cursor.passXmin ?? xmin;
  return full && last ? `${last.xid}.${last.seq}.${passXmin}` : `${passXmin}`;
}

/**
 * A cursor beyond the database's transaction ids (`xmax`: none has been given out yet) comes from
 * another history of them (a restored or replaced database): read from the start.
 */
export function fromThisHistory(cursor: RevocationCursor, xmax: bigint): boolean {
  return cursor.afterXid <= xmax && (cursor.passXmin ?? 0n) <= xmax;
}
