import { ReadModelGeneration as GenerationMessage, READ_MODEL_GENERATION_CHANNEL } from '@sagamart/contracts';
import { type Periodic, repeatEvery, type ServiceContext, type Subscription, sql } from '@sagamart/kit';
import { Compile } from 'typebox/compile';
import type { CatalogDb } from '../infra/schema.ts';

const message = Compile(GenerationMessage);

/**
 * The read model's generation as this instance knows it, without a database round trip per answer:
 * read at start, moved by this instance's own advances and by the other instances' broadcasts. It is
 * never ahead of the sequence, so an answer tagged with it (read before the answer's data) reflects
 * every change up to that generation. Every advance this instance makes is broadcast, so the gateway's
 * response cache (ADR 0009) drops what it kept from older generations; and every
 * `catalog.generation.heartbeatMs`, and at once when this instance's connection to the bus is back after
 * a loss, the sequence is read again and broadcast, so a lost broadcast is made up for within that
 * time, and a gateway that stops hearing the heartbeat stops trusting its copies.
 */
export class ReadModelGenerationClock {
  private known: number | undefined;
  private subscription: Subscription | undefined;
  private heartbeat: Periodic | undefined;

  constructor(private readonly ctx: ServiceContext<CatalogDb>) {}

  /** Undefined until read at start: an untagged answer is simply not kept by the gateway. */
  get current(): number | undefined {
    return this.known;
  }

  async start(): Promise<void> {
    this.subscription = await this.ctx.transport?.onBroadcast(
      READ_MODEL_GENERATION_CHANNEL,
      (payload) => {
        if (message.Check(payload) && payload.service === this.ctx.name) this.moveTo(payload.generation);
      },
      // Back after a loss: the other instances' advances sent meanwhile are gone, and so are this one's
      // own may be (a broadcast it failed to send). A beat now, not up to heartbeatMs later.
      { missed: () => void this.beat() },
    );
    await this.read();
    this.tell(this.known!);
    const heartbeatMs = this.ctx.config.number('catalog.generation.heartbeatMs');
    this.heartbeat = repeatEvery(
      () => heartbeatMs,
      () => this.beat(),
    );
  }

  /** Reads the sequence again and broadcasts it. */
  private async beat(): Promise<void> {
    try {
      await this.read();
      this.tell(this.known!);
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'read model generation not read');
    }
  }

  /** This instance advanced the sequence to `generation`: known here at once, and told to everyone. */
  advanced(generation: number): void {
    this.moveTo(generation);
    this.tell(generation);
  }

  async stop(): Promise<void> {
    await this.heartbeat?.stop();
    await this.subscription?.close();
  }

  private async read(): Promise<void> {
    const { rows } = await sql<{ generation: string }>`
      select case when is_called then last_value else 0 end as generation
      from catalog_search_generation`.execute(this.ctx.db);
    this.moveTo(Number(rows[0]!.generation));
  }

  private tell(generation: number): void {
    this.ctx.transport
      ?.broadcast(READ_MODEL_GENERATION_CHANNEL, { service: this.ctx.name, generation })
      .catch((error) => this.ctx.log.warn({ err: error }, 'read model generation broadcast failed'));
  }

  private moveTo(generation: number): void {
    if (this.known === undefined || generation > this.known) this.known = generation;
  }
}
