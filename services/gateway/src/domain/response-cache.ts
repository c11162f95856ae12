/** Node's header maps (lower-case names), without importing node:http into pure code. */
type Headers = Record<string, string | string[] | undefined>;

export interface ResponseCacheLimits {
  /** Answers kept at most (0 turns the cache off). */
  maxEntries: number;
  /** Bytes of bodies kept at most, all entries together. */
  maxBytes: number;
  /** A larger answer is never kept. */
  maxEntryBytes: number;
  /**
   * A service's entries are served without asking it only while one of its generation broadcasts (an
   * advance or its heartbeat) arrived within this time; otherwise each is checked (If-None-Match).
   */
  heardWithinMs: number;
}

/** One kept answer: a 200 to a GET, as the gateway would send it on (its headers already filtered). */
export interface CachedAnswer {
  /** Response headers without `vary` (merged at send time), `date` and the generation header. */
  headers: Record<string, string | string[]>;
  body: Buffer;
  etag: string | undefined;
  /** The upstream's `Vary` names (lower case) and the values this answer was made for. */
  vary: Array<[name: string, value: string | undefined]>;
  varyHeader: string | undefined;
  /** The upstream service and the generation of its read model the answer was read at. */
  service: string;
  generation: number;
}

/**
 * The gateway's response cache (ADR 0009): public answers of cacheable routes, each kept under the
 * generation of the upstream's read model it was read at, served only while that generation is the
 * newest the gateway knows of. A broadcast or an answer naming a newer generation drops every older
 * entry of that service, so an entry is never served after the gateway heard of a change it predates.
 * Bounded by entry count and body bytes; least recently used first out.
 */
export class ResponseCache {
  /** Map order is use order: the first key is the least recently used. */
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly generations = new Map<string, number>();
  /** When each service's generation broadcast last arrived. */
  private readonly heardAt = new Map<string, number>();
  private bytes = 0;

  constructor(
    readonly limits: ResponseCacheLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.limits.maxEntries > 0 && this.limits.maxBytes > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** The newest generation of `service` heard of (broadcast or answer). */
  knownGeneration(service: string): number | undefined {
    return this.generations.get(service);
  }

  /**
   * `service`'s read model is at `generation` (at least): moves the known generation forward, never
   * back (a late broadcast must not bring back answers older than a change already heard of). The
   * service's older entries are dropped as they are next looked up (or evicted first, being older):
   * a change costs no walk over the whole cache.
   */
  observe(service: string, generation: number): void {
    const known = this.generations.get(service);
    if (known === undefined || generation > known) this.generations.set(service, generation);
  }

  /** `service`'s broadcast arrived (an advance or its heartbeat): its channel reaches this gateway. */
  heard(service: string, generation: number): void {
    this.observe(service, generation);
    this.heardAt.set(service, this.now());
  }

  /**
   * The connection that carries the broadcasts is back after a loss: a newer generation may have been
   * broadcast meanwhile, so no service counts as heard (its entries are checked) until its next one.
   */
  forgetHeard(): void {
    this.heardAt.clear();
  }

  /** The entry for `key` made for these request headers (its Vary'd ones), if any. */
  lookup(key: string, request: Headers): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation < (this.generations.get(entry.service) ?? entry.generation)) {
      this.remove(key);
      return undefined;
    }
    if (!entry.vary.every(([name, value]) => headerValue(request[name]) === value)) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Whether `entry` may be sent without asking the upstream: its generation is the newest known, and
   * the broadcasts that would announce a newer one reach this gateway now (the transport listens, and
   * the service's broadcast was heard lately).
   */
  isCurrent(entry: CachedAnswer, listening: boolean): boolean {
    const heardAt = this.heardAt.get(entry.service);
    return (
      listening &&
      this.generations.get(entry.service) === entry.generation &&
      heardAt !== undefined &&
      this.now() - heardAt < this.limits.heardWithinMs
    );
  }

  /** Keeps an answer read at its generation; refused when that is not the newest known or it is too big. */
  store(key: string, entry: CachedAnswer): boolean {
    if (!this.enabled || entry.body.length > this.limits.maxEntryBytes) return false;
    this.observe(entry.service, entry.generation);
    if (this.generations.get(entry.service) !== entry.generation) return false;
    this.remove(key);
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.remove(oldest);
    }
    return true;
  }

  /** The upstream confirmed `entry` (304) at `generation`: it is kept under that generation, if newest. */
  confirm(key: string, entry: CachedAnswer, generation: number): void {
    this.observe(entry.service, generation);
    if (this.entries.get(key) !== entry) return;
    if (this.generations.get(entry.service) !== generation) {
      this.remove(key);
      return;
    }
    entry.generation = generation;
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }
}

/** What made an upstream's answer keepable, read from its headers. */
export interface Keepable {
  generation: number;
  etag: string | undefined;
  vary: string[];
}

/**
 * Whether an upstream's 200 to a GET may be kept: it says `public` (the same for every caller) and not
 * `no-store` or `private`, sets no cookie, names the read-model generation it was read at, does not
 * vary on everything, and has a known length within the limit.
 */
export function keepableAnswer(
  status: number,
  headers: Headers,
  generationHeader: string,
  maxEntryBytes: number,
): Keepable | undefined {
  if (status !== 200 || headers['set-cookie'] !== undefined) return undefined;
  const directives = new Set(
    (headerValue(headers['cache-control']) ?? '')
      .toLowerCase()
      .split(',')
      .map((d) => d.trim().split('=')[0]),
  );
  if (!directives.has('public') || directives.has('no-store') || directives.has('private')) return undefined;
  const generation = parseGeneration(headers[generationHeader]);
  if (generation === undefined) return undefined;
  const length = Number(headerValue(headers['content-length']));
  if (!Number.isInteger(length) || length > maxEntryBytes) return undefined;
  const vary = (headerValue(headers.vary) ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (vary.includes('*')) return undefined;
  return { generation, etag: headerValue(headers.etag), vary };
}

/** A generation header's value: a non-negative integer, else undefined. */
export function parseGeneration(value: string | string[] | undefined): number | undefined {
  const text = headerValue(value);
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** `If-None-Match` (RFC 9110 §13.1.2): `*`, or a list holding the tag by weak comparison. */
export function matchesEntityTag(ifNoneMatch: string | undefined, etag: string | undefined): boolean {
  if (ifNoneMatch === undefined || etag === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const wanted = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === wanted);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
