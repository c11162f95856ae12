import { escapeLike } from '@sagamart/kit/pure';

/** At most this many words of a query take part in the full text match. */
export const MAX_TERMS = 8;
export const MAX_QUERY_LENGTH = 100;

/** Trimmed, single-spaced, lower-cased, at most MAX_QUERY_LENGTH characters; '' when nothing is left. */
export function normalizeQuery(q: string | undefined): string {
  return (q ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase().slice(0, MAX_QUERY_LENGTH);
}

/** The query's words as typed (for substring matching), at most MAX_TERMS. */
export function queryWords(normalized: string): string[] {
  return normalized
    .split(' ')
    .filter((w) => w.length > 0)
    .slice(0, MAX_TERMS);
}

/** Words usable in a tsquery: operator characters removed, words without a letter or digit dropped. */
export function searchTerms(normalized: string): string[] {
  return (
    normalized
      .split(' ')
      .map((w) => w.replace(/[&|!():*<>'"\\\p{Cc}]/gu, ''))
      // A word without a letter or digit has no lexeme: to_tsquery would drop it (or match nothing).
      .filter((w) => /[\p{L}\p{N}]/u.test(w))
      .slice(0, MAX_TERMS)
  );
}

/**
 * A prefix tsquery requiring every term (`'맨투':* & '블랙':*`), optionally restricted to one weight
 * (A = name, B = keywords, C = description). Undefined when there is no term.
 */
export function prefixTsQuery(terms: string[], weight?: 'A' | 'B' | 'C'): string | undefined {
  if (terms.length === 0) return undefined;
  return terms.map((t) => `'${t.replaceAll("'", "''")}':*${weight ?? ''}`).join(' & ');
}

/** A LIKE/ILIKE pattern matching `text` anywhere (`contains`) or at the start (`prefix`), wildcards escaped. */
export function likePattern(text: string, where: 'contains' | 'prefix' | 'word-prefix'): string {
  const escaped = escapeLike(text);
  if (where === 'prefix') return `${escaped}%`;
  if (where === 'word-prefix') return `% ${escaped}%`;
  return `%${escaped}%`;
}

/** How one query word is matched. */
export type WordMatch = { kind: 'substring'; pattern: string } | { kind: 'prefix'; tsquery: string };

/**
 * Words of three characters or more match as substrings anywhere (trigram index: 맨투맨 inside
 * 오버핏맨투맨). Shorter words have no trigram to look up, so they match as word prefixes through the
 * full-text index instead (청바 → 청바지, 니트 → 니트); a short word that leaves nothing for a
 * tsquery falls back to a substring match.
 */
export function matchWords(words: string[]): WordMatch[] {
  return words.map((word) => {
    const tsquery = [...word].length < 3 ? prefixTsQuery(searchTerms(word)) : undefined;
    return tsquery
      ? { kind: 'prefix', tsquery }
      : { kind: 'substring', pattern: likePattern(word, 'contains') };
  });
}
