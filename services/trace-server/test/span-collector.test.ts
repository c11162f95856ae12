import type { ZipkinSpan } from '@sagamart/contracts/http/tracing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SpanCollector } from '../src/app/span-collector.ts';
import type { StoredSpan } from '../src/domain/spans.ts';
import type { SpanStore } from '../src/infra/span-store.ts';

/** The part of the span store the collector uses, in memory, with one count() that can be held. */
class HeldCountStore {
  rows: StoredSpan[] = [];
  private countsToPass = Number.POSITIVE_INFINITY;
  private gate: Promise<void> | undefined;
  private onHeld: (() => void) | undefined;

  /** Holds the count() after `skip` more have run: answers when it is held, and its release. */
  holdCount(skip: number): { held: Promise<void>; release: () => void } {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = new Promise<void>((resolve) => {
      this.onHeld = resolve;
    });
    this.countsToPass = skip;
    return { held, release };
  }

  async insert(spans: StoredSpan[]): Promise<number> {
    this.rows.push(...spans);
    return spans.length;
  }

  async count(): Promise<number> {
    if (this.countsToPass-- === 0) {
      this.onHeld?.();
      await this.gate;
    }
    return this.rows.length;
  }

  async deleteOldest(limit: number): Promise<number> {
    return this.rows.splice(0, limit).length;
  }
}

let nextId = 0;
function span(): ZipkinSpan {
  nextId += 1;
  const id = nextId.toString(16).padStart(16, '0');
  return {
    traceId: id,
    id,
    name: 'get /thing',
    timestamp: Date.now() * 1000,
    duration: 1_000,
    localEndpoint: { serviceName: 'thing-service' },
  };
}

describe('SpanCollector', () => {
  it('trims again for a batch that arrives while a trim recounts the store', async () => {
    const store = new HeldCountStore();
    const collector = new SpanCollector(
      store as unknown as SpanStore,
      () => ({ maxAgeMs: 60_000, maxSpans: 10 }),
      pino({ level: 'silent' }),
    );
    await collector.collect(Array.from({ length: 10 }, span)); // at the bound: no trim
    await collector.idle();

    // Over the bound: the trim counts (and deletes), then recounts; a batch arrives during the recount.
    const recount = store.holdCount(1);
    await collector.collect(Array.from({ length: 5 }, span));
    await recount.held;
    expect(store.rows).toHaveLength(10);
    await collector.collect(Array.from({ length: 5 }, span));
    recount.release();
    await collector.idle();
    await collector.idle();

    expect(store.rows).toHaveLength(10);
  });
});
