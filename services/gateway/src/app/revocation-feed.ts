import { AccessRevocationFeed, REVOCATION_FEED_START, REVOCATIONS_CHANNEL } from '@sagamart/contracts';
import { type Periodic, repeatEvery, type ServiceClient, type Transport } from '@sagamart/kit';
import type { Logger } from 'pino';
import { RevocationSet, type TokenFacts } from '../domain/revocation-set.ts';

export interface RevocationFeedOptions {
  /** auth-service, through the kit's client (it signs the call: the feed is an /internal route). */
  client: ServiceClient;
  path: string;
  /** Poll while broadcasts may be missed (no transport, or its connection is down). */
  pollMs: number;
  /** Poll while the transport delivers broadcasts: only a hint auth-service failed to send waits this long. */
  listenedPollMs: number;
  log: Logger;
}

const PAGE = 1_000;

/**
 * Keeps the gateway's copy of auth-service's revocation feed: read at start, read at once when
 * auth-service broadcasts that it revoked something or when the transport is back after a loss (a
 * hint sent meanwhile is gone), and polled: every listenedPollMs while the transport delivers
 * broadcasts, every pollMs while it may not. A revoked token stops working within a broadcast's
 * delivery (milliseconds), within the reconnection when the gateway's connection was down, or one
 * poll when auth-service failed to send the hint. Until it has been read once the gateway knows no
 * revocation at all (`loaded` is false): tokens are refused then, and readiness waits for it.
 */
export class RevocationFeed {
  private readonly set = new RevocationSet();
  /** Where the next read starts (ADR 0018). */
  private cursor = REVOCATION_FEED_START;
  /** The same for an auth-service released before cursors, which answers without one. */
  private after = 0;
  private syncing: Promise<void> | undefined;
  private again = false;
  private poller: Periodic | undefined;
  private subscription: { close(): Promise<void> } | undefined;
  private failing = false;
  private read = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: RevocationFeedOptions) {}

  /** Calls `listener` after each read that added revocations (live connections check theirs). */
  onRevoked(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(transport: Transport | undefined): Promise<void> {
    this.subscription = await transport?.onBroadcast(REVOCATIONS_CHANNEL, () => void this.sync(), {
      missed: () => void this.sync(),
    });
    this.poller = repeatEvery(
      () => (this.read && transport?.listening() ? this.options.listenedPollMs : this.options.pollMs),
      () => this.sync(),
    );
    await this.sync();
  }

  /** Whether the feed has been read once: before that, no token can be taken as not revoked. */
  get loaded(): boolean {
    return this.read;
  }

  /** Seconds a caller refused before the first read might wait: one poll. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.options.pollMs / 1000));
  }

  isRevoked(token: TokenFacts): boolean {
    return this.set.isRevoked(token);
  }

  /** Reads every new entry; a call while one runs makes it read once more afterwards. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          await this.readAll();
        } while (this.again);
        if (this.failing)
          this.options.log.info(
            this.read ? 'revocation feed readable again' : 'revocation feed read: taking tokens now',
          );
        this.failing = false;
        this.read = true;
      } catch (error) {
        if (!this.failing)
          this.options.log.warn(
            { err: (error as Error).message },
            this.read
              ? 'cannot read the revocation feed; retrying'
              : 'cannot read the revocation feed; refusing tokens until it is read, retrying',
          );
        this.failing = true;
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  private async readAll(): Promise<void> {
    let added = false;
    for (;;) {
      const page = await this.options.client.get(this.options.path, {
        query: { cursor: this.cursor, after: this.after, limit: PAGE },
        response: AccessRevocationFeed,
        timeoutMs: 2_000,
        // Every few seconds at idle: not traced (the revocation itself is, where it is made).
        housekeeping: true,
      });
      // The feed serves again what it cannot yet call settled: only news wakes the listeners.
      added = this.set.apply(page.revocations) || added;
      const advanced = page.latest > this.after;
      this.after = Math.max(this.after, page.latest);
      if (page.cursor !== undefined) this.cursor = page.cursor;
      const full = page.revocations.length >= PAGE;
      // A full page's cursor is past its last entry; by `after`, only a higher `latest` moves on.
      if (!full || (page.cursor === undefined && !advanced)) break;
    }
    this.set.prune(Math.floor(Date.now() / 1000));
    if (added) for (const listener of this.listeners) listener();
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
    await this.subscription?.close();
  }
}
