/**
 * Signing key lifecycle. A key signs from its activation until the next key activates
 * (it is then "superseded"). Its public half stays published (JWKS) until every token it signed
 * has expired: superseded + the longest token lifetime + a grace for clock skew. A rotation may
 * publish the new key before it activates, so verifiers that cache the JWKS learn it before the
 * first token signed with it reaches them.
 */
export interface KeyTimes {
  kid: string;
  activatesAt: Date;
}

export interface PublishedKey extends KeyTimes {
  supersededAt: Date | null;
}

/** Oldest first by activation; ties broken by kid so the order is total. */
function byActivation<K extends KeyTimes>(keys: readonly K[]): K[] {
  return [...keys].sort(
    (a, b) => a.activatesAt.getTime() - b.activatesAt.getTime() || a.kid.localeCompare(b.kid),
  );
}

/** The key that signs now: the most recently activated one. */
export function currentKey<K extends KeyTimes>(keys: readonly K[], now: Date): K | undefined {
  return byActivation(keys)
    .filter((k) => k.activatesAt.getTime() <= now.getTime())
    .at(-1);
}

/** When each key stopped signing (null while it is current or still pending). */
export function withSupersession<K extends KeyTimes>(
  keys: readonly K[],
  now: Date,
): Array<K & { supersededAt: Date | null }> {
  const ordered = byActivation(keys);
  return ordered.map((key, i) => {
    const next = ordered[i + 1];
    const superseded = next && next.activatesAt.getTime() <= now.getTime() ? next.activatesAt : null;
    return { ...key, supersededAt: superseded };
  });
}

/** Keys whose tokens may still be valid (plus pending ones): these go into the JWKS and verify tokens. */
export function verifyingKeys<K extends KeyTimes>(keys: readonly K[], now: Date, retentionSeconds: number) {
  return withSupersession(keys, now).filter(
    (k) => k.supersededAt === null || now.getTime() < k.supersededAt.getTime() + retentionSeconds * 1000,
  );
}
