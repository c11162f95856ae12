import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** One event contract: a name (also the routing key), a version and the payload schema. */
export interface EventContract<S extends TSchema = TSchema> {
  readonly name: string;
  readonly version: number;
  readonly schema: S;
  /** Returns the list of problems with a payload; empty when it matches the schema. */
  validate(payload: unknown): string[];
}

export type EventPayload<C extends EventContract> = Static<C['schema']>;

export function defineEvent<S extends TSchema>(name: string, version: number, schema: S): EventContract<S> {
  // Compiled at the first event validated: a service loads every contract but uses a few, and
  // compiling them all cost each process about 20 ms of its start (docs/performance.md, change 32).
  let validator: ReturnType<typeof Compile<S>> | undefined;
  return {
    name,
    version,
    schema,
    validate(payload) {
      validator ??= Compile(schema);
      if (validator.Check(payload)) return [];
      return [...validator.Errors(payload)].slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
    },
  };
}

/**
 * Which queue consumes which events. Every service declares the whole topology at start, so an event
 * published before its consumer first starts is still kept for it (a queue exists from the first start
 * of any service, not only from the first start of the consumer).
 */
export type Topology = Readonly<Record<string, readonly string[]>>;
