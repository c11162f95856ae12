import type { ZipkinSpan } from '@sagamart/contracts/http/tracing';
import type { ServiceContext } from '@sagamart/kit';
import { toStoredSpan } from '../domain/spans.ts';
import type { SpanStore } from '../infra/span-store.ts';

export interface RetentionSettings {
  /** Spans that started longer ago are dropped (on arrival, and by the retention pass). */
  maxAgeMs: number;
  /** At most this many spans are kept: beyond it, the earliest-arrived go first. */
  maxSpans: number;
}

/** Deletes in chunks, so a large trim never holds one long transaction. */
const TRIM_CHUNK = 5_000;

/**
 * Receives span batches and keeps the store within its bounds. The count bound is enforced right
 * after each batch, off the request path: a burst costs the oldest spans, never the exporters'
 * requests.
 */
export class SpanCollector {
  /** Spans stored, as far as this instance knows (recounted after each trim). */
  private stored: number | undefined;
  private trimming: Promise<void> | undefined;
  /** A batch arrived while trimming: look again once the trim ends. */
  private trimAgain = false;

  constructor(
    private readonly store: SpanStore,
    private readonly settings: () => RetentionSettings,
    private readonly log: ServiceContext['log'],
  ) {}

  /** Stores a batch; answers how many spans were new. */
  async collect(spans: ZipkinSpan[]): Promise<number> {
    const nowUs = Date.now() * 1000;
    const { maxAgeMs, maxSpans } = this.settings();
    const cutoffUs = nowUs - maxAgeMs * 1000;
    const fresh = spans.map((span) => toStoredSpan(span, nowUs)).filter((s) => s.timestampUs >= cutoffUs);
    // Counted before the insert, so the first batch is not counted twice.
    this.stored ??= await this.store.count();
    const added = await this.store.insert(fresh);
    this.stored += added;
    if (this.stored > maxSpans) this.trimSoon();
    return added;
  }

  /** Deletes up to `limit` spans over the count bound (the kit's retention pass calls it too). */
  async trimOverflow(limit: number): Promise<number> {
    const excess = (await this.store.count()) - this.settings().maxSpans;
    if (excess <= 0) return 0;
    return this.store.deleteOldest(Math.min(excess, limit));
  }

  /** Waits for a trim in progress (tests and shutdown). */
  async idle(): Promise<void> {
    await this.trimming;
  }

  private trimSoon(): void {
    if (this.trimming) {
      this.trimAgain = true;
      return;
    }
    this.trimming = (async () => {
      try {
        // The recount is inside the loop: a batch that arrives while it runs finds a trim still
        // going and only sets trimAgain, which must be looked at after the recount, not before.
        do {
          this.trimAgain = false;
          while ((await this.trimOverflow(TRIM_CHUNK)) === TRIM_CHUNK) {
            // keep going: more than one chunk over the bound
          }
          this.stored = await this.store.count();
        } while (this.trimAgain);
      } catch (error) {
        this.log.warn({ err: error }, 'trimming spans over the bound failed; the next batch retries');
        this.stored = undefined;
      } finally {
        this.trimming = undefined;
      }
    })();
  }
}
