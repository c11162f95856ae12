/** What a user's history still holds: seqs above `floor` (pruned up to it) and up to `last`. */
export interface KeptRange {
  floor: number;
  last: number;
}

export type ResumePlan = { type: 'replay'; after: number } | { type: 'reset'; last: number };

/**
 * A client resuming after `since` gets a replay when every seq after it is still kept; otherwise it
 * must reload (a reset): some were pruned, or it holds a seq this history never had (a wiped database).
 */
export function planResume(since: number, kept: KeptRange): ResumePlan {
  if (since < kept.floor || since > kept.last) return { type: 'reset', last: kept.last };
  return { type: 'replay', after: since };
}

/** The highest seq to prune once `last` exists and `keep` are kept per user (0: prune nothing). */
export function pruneThrough(last: number, keep: number): number {
  return Math.max(0, last - keep);
}
