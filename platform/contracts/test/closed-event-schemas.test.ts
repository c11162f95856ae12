import type { EventContract } from '@sagamart/contracts';
import * as contracts from '@sagamart/contracts';
import { describe, expect, it } from 'vitest';

/**
 * What ADR 0012 rests on: producers are strict because every object of every event schema is closed
 * (an unknown field is refused at publish), and consumers read tolerantly by cleaning to the schema,
 * which picks the first union variant that fits, so object variants need a literal discriminant.
 */

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  patternProperties?: Record<string, Schema>;
};

/** Paths in the schema breaking either rule. */
function problems(schema: Schema, path = ''): string[] {
  const found: string[] = [];
  if (schema.type === 'object' && schema.properties) {
    if (schema.additionalProperties !== false) found.push(`${path || '/'} is not closed`);
    for (const [key, value] of Object.entries(schema.properties))
      found.push(...problems(value, `${path}/${key}`));
  }
  if (schema.items) found.push(...problems(schema.items, `${path}[]`));
  for (const value of Object.values(schema.patternProperties ?? {}))
    found.push(...problems(value, `${path}{}`));
  const objectVariants = (schema.anyOf ?? []).filter((variant) => variant.type === 'object');
  if (objectVariants.length > 1 && !objectVariants.every(hasLiteral))
    found.push(`${path || '/'} has object variants without a literal discriminant`);
  for (const variant of schema.anyOf ?? []) found.push(...problems(variant, path));
  return found;
}

function hasLiteral(variant: Schema): boolean {
  return Object.values(variant.properties ?? {}).some((property) => 'const' in property);
}

const events = (Object.values(contracts) as unknown[]).filter(
  (value): value is EventContract =>
    typeof (value as Partial<EventContract> | null)?.validate === 'function' &&
    typeof (value as Partial<EventContract>).version === 'number',
);

describe('event schemas', () => {
  it('are found', () => {
    expect(events.length).toBeGreaterThan(30);
  });

  it.each(events.map((event) => [event.name, event] as const))('%s is closed at every depth', (_, event) => {
    expect(problems(event.schema as unknown as Schema)).toEqual([]);
  });
});
