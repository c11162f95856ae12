import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { ServiceMetrics } from './metrics.ts';
import { type Periodic, repeatEvery } from './periodic.ts';

/** One table's pruning: deletes at most `limit` rows that cannot matter any more. */
export interface RetentionTask {
  /** The table, as the `table` label of `retention_deleted_total`. */
  table: string;
  /** Deletes up to `limit` expired rows (indexed, SKIP LOCKED); answers how many went. */
  prune(limit: number): Promise<number>;
}

export interface RetentionOptions {
  tasks: RetentionTask[];
  metrics: ServiceMetrics;
  log: Logger;
  /** Read on every pass, so a config refresh applies at the next one. */
  settings: () => { intervalMs: number; batchSize: number; maxBatches: number };
}

/**
 * Runs each retention task every `retention.intervalMs`, in batches of `retention.batchSize` and at
 * most `retention.maxBatches` batches per table and pass, so a pass stays short. Tasks lock the rows
 * they delete with SKIP LOCKED, so several instances pruning at once share the work instead of
 * waiting on one another.
 */
export class RetentionJob {
  private loop: Periodic | undefined;
  private stopped = true;
  private readonly deleted: Counter<'table'>;
  private readonly passes: Counter<'table'>;

  constructor(private readonly options: RetentionOptions) {
    const registers = [options.metrics.registry];
    this.deleted = new Counter({
      name: 'retention_deleted_total',
      help: 'Rows deleted by retention, by table',
      labelNames: ['table'],
      registers,
    });
    this.passes = new Counter({
      name: 'retention_passes_total',
      help: 'Completed retention passes, by table',
      labelNames: ['table'],
      registers,
    });
  }

  start(): void {
    if (this.options.tasks.length === 0) return;
    this.stopped = false;
    this.loop = repeatEvery(
      () => this.options.settings().intervalMs,
      () => this.pass(),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.stop();
  }

  /** One pass over every table. */
  async pass(): Promise<void> {
    const { batchSize, maxBatches } = this.options.settings();
    for (const task of this.options.tasks) {
      try {
        for (let batch = 0; batch < maxBatches && !this.stopped; batch++) {
          const n = await task.prune(batchSize);
          if (n > 0) this.deleted.inc({ table: task.table }, n);
          if (n < batchSize) break;
        }
        this.passes.inc({ table: task.table });
      } catch (error) {
        this.options.log.warn({ err: error, table: task.table }, 'retention pass failed');
      }
    }
  }
}
