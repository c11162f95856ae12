import { type Static, Type } from 'typebox';

/**
 * A read model's generation: a number its service advances after every change it applies (catalog:
 * the sequence `catalog_search_generation`). An answer read at generation G reflects every change
 * that advanced it to G or below; it may be kept (by the gateway's response cache, ADR 0009) only
 * while the generation stands still.
 */
export const ReadModelGeneration = Type.Object({
  /** The service whose read model moved (its discovery name). */
  service: Type.String({ minLength: 1 }),
  generation: Type.Integer({ minimum: 0 }),
});
export type ReadModelGeneration = Static<typeof ReadModelGeneration>;

/** Broadcast (not durable) after every advance, with a ReadModelGeneration. */
export const READ_MODEL_GENERATION_CHANNEL = 'read-model.generation';

/**
 * On a cacheable answer: the generation read before the answer's data (so an answer that raced a
 * change carries the older generation). Consumed by the gateway, not passed to clients.
 */
export const READ_MODEL_GENERATION_HEADER = 'x-read-model-generation';
