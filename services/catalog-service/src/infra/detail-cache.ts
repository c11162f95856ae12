import { Redis } from 'ioredis';

/** Where product details are cached (cache-aside): in this process, or in Redis shared by every instance. */
export interface DetailCache<T> {
  readonly kind: 'lru' | 'redis';
  get(id: number): Promise<T | undefined>;
  set(id: number, value: T): Promise<void>;
  /** Resolves to how many entries were there to remove. */
  delete(ids: number[]): Promise<number>;
  clear(): Promise<number>;
  close(): Promise<void>;
}

/** A bounded LRU with a time to live, on a Map's insertion order. */
export class LruCache<T> implements DetailCache<T> {
  readonly kind = 'lru' as const;
  private readonly entries = new Map<number, { value: T; expires: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get(id: number): Promise<T | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (entry.expires <= this.now()) return undefined;
    this.entries.set(id, entry); // most recently used last
    return entry.value;
  }

  async set(id: number, value: T): Promise<void> {
    this.entries.delete(id);
    this.entries.set(id, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  async delete(ids: number[]): Promise<number> {
    let removed = 0;
    for (const id of ids) if (this.entries.delete(id)) removed++;
    return removed;
  }

  async clear(): Promise<number> {
    const removed = this.entries.size;
    this.entries.clear();
    return removed;
  }

  async close(): Promise<void> {}
}

/**
 * Redis (when `redis.url` is set): one string value (a detail's JSON body) per product with a TTL.
 * Redis errors count as a miss, so an outage slows the catalog down but never breaks it.
 */
export class RedisCache implements DetailCache<string> {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly ttlSeconds: number,
    private readonly prefix: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', onError);
  }

  private key(id: number): string {
    return `${this.prefix}${id}`;
  }

  async get(id: number): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.key(id))) ?? undefined;
    } catch (error) {
      this.onError(error);
      return undefined;
    }
  }

  async set(id: number, value: string): Promise<void> {
    await this.redis.set(this.key(id), value, 'EX', this.ttlSeconds).catch(this.onError);
  }

  async delete(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    try {
      return await this.redis.del(...ids.map((id) => this.key(id)));
    } catch (error) {
      this.onError(error);
      return 0;
    }
  }

  async clear(): Promise<number> {
    let removed = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
        if (keys.length) removed += await this.redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch (error) {
      this.onError(error);
    }
    return removed;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
