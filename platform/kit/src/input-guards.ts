// Guarantees every route gets, whatever its schema says: no number outside what JavaScript and
// PostgreSQL can hold exactly, no NUL character (PostgreSQL text cannot hold one), and numbers in a
// query, path or header written as plain decimal numerals.

import type { FieldProblem } from './errors.ts';

/** Largest magnitude an unbounded `integer` may have: beyond it a JSON number is no longer exact. */
export const SAFE_INTEGER_BOUND = Number.MAX_SAFE_INTEGER;
/** Largest magnitude an unbounded `number` may have: anything above is Infinity. */
export const FINITE_NUMBER_BOUND = Number.MAX_VALUE;

type JsonSchema = Record<string | symbol, unknown>;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typesOf = (schema: JsonSchema): unknown[] => (Array.isArray(schema.type) ? schema.type : [schema.type]);

/**
 * The schema with every `integer` bounded to ±MAX_SAFE_INTEGER and every `number` to finite values,
 * unless it is bounded more tightly already (`1e309`, `2^63`, `99999999999999999999` are refused
 * then, even as query strings that Ajv coerces). Returns the same object when nothing changes, so
 * shared schemas are never mutated.
 */
export function withSafeNumbers<T>(schema: T): T {
  if (!isSchema(schema)) return schema;
  let out: JsonSchema | undefined;
  const set = (key: string, value: unknown) => {
    out ??= { ...schema };
    out[key] = value;
  };
  const types = typesOf(schema);
  const bound = types.includes('integer')
    ? SAFE_INTEGER_BOUND
    : types.includes('number')
      ? FINITE_NUMBER_BOUND
      : undefined;
  if (bound !== undefined) {
    const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
    if (maximum === undefined || maximum > bound) set('maximum', bound);
    if (minimum === undefined || minimum < -bound) set('minimum', -bound);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'contains']) {
    const child = schema[key];
    const bounded = withSafeNumbers(child);
    if (bounded !== child) set(key, bounded);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    const bounded = list.map((child) => withSafeNumbers(child));
    if (bounded.some((child, i) => child !== list[i])) set(key, bounded);
  }
  for (const key of ['properties', 'patternProperties']) {
    const map = schema[key];
    if (!isSchema(map)) continue;
    let changed = false;
    const bounded: JsonSchema = {};
    for (const [name, child] of Object.entries(map)) {
      bounded[name] = withSafeNumbers(child);
      if (bounded[name] !== child) changed = true;
    }
    if (changed) set(key, bounded);
  }
  return (out ?? schema) as T;
}

/** Why a request part is refused, and where. */
export interface HostileValue {
  field: string;
  code: 'nul-character' | 'number-out-of-range';
  message: string;
}

/**
 * The first value no route may receive, at any depth of a parsed request part: a NUL character in a
 * string or object key, or a number that is not finite (Ajv coerces the query `?n=1e309` to Infinity
 * and then skips its bounds). Walks without recursion, so a deeply nested body cannot overflow the
 * stack. Buffers and streams (raw bodies) are not looked into.
 */
export function findHostileValue(value: unknown, root: string): HostileValue | undefined {
  const nul = (field: string): HostileValue => ({
    field,
    code: 'nul-character',
    message: 'must not contain a NUL character',
  });
  const pending: Array<[unknown, string]> = [[value, root]];
  while (pending.length > 0) {
    const [current, field] = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return nul(field);
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current))
        return { field, code: 'number-out-of-range', message: 'must be a finite number' };
    } else if (Array.isArray(current)) {
      for (const [i, item] of current.entries()) pending.push([item, `${field}[${i}]`]);
    } else if (isPlainObject(current)) {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) return nul(field);
        pending.push([item, `${field}.${key}`]);
      }
    }
  }
  return undefined;
}

/** Parsed JSON, query strings and route parameters (whose prototypes may be null-based), not Buffers. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** A number in a query, path or header must be written as one of these; Ajv's coercion takes more. */
const DECIMAL_NUMERALS = {
  integer: /^-?\d+$/,
  number: /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/,
} as const;
type NumeralKind = keyof typeof DECIMAL_NUMERALS;

/**
 * The numeral a field's value must be written as: a field (or the items of an array field) that takes
 * integers or numbers only. Undefined for a field that takes text too, or no number at all: Ajv
 * alone decides about those.
 */
function numeralKind(schema: unknown): NumeralKind | undefined {
  if (!isSchema(schema)) return undefined;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) {
    const kinds = alternatives.map(numeralKind);
    if (kinds.length === 0 || kinds.includes(undefined)) return undefined;
    return kinds.includes('number') ? 'number' : 'integer';
  }
  const types = typesOf(schema);
  if (types.length !== 1) return undefined;
  if (types[0] === 'array') return numeralKind(schema.items);
  return types[0] === 'integer' || types[0] === 'number' ? types[0] : undefined;
}

const numeralFieldsBySchema = new WeakMap<JsonSchema, Array<[string, NumeralKind]>>();

/** The top-level fields of a query, params or headers schema that take numbers only (cached per schema). */
function numeralFields(schema: JsonSchema): Array<[string, NumeralKind]> {
  let fields = numeralFieldsBySchema.get(schema);
  if (!fields) {
    fields = [];
    for (const part of [schema, ...(Array.isArray(schema.allOf) ? schema.allOf : [])]) {
      const properties = isSchema(part) ? part.properties : undefined;
      if (!isSchema(properties)) continue;
      for (const [name, child] of Object.entries(properties)) {
        const kind = numeralKind(child);
        if (kind) fields.push([name, kind]);
      }
    }
    numeralFieldsBySchema.set(schema, fields);
  }
  return fields;
}

/**
 * Every number of a query, path or header (as received, before Ajv coerces it) that is not a plain
 * decimal numeral: `-?\d+` for an integer, with an optional fraction and exponent for a number.
 * Ajv's coercion takes whatever `Number()` does: `"0x118"` as 280, `" 12 "` as 12, `"1e3"` as 1000.
 * `schema` is the route's schema of that part; a repeated query key's values are checked one by one.
 */
export function findMalformedNumerals(schema: unknown, values: unknown): FieldProblem[] {
  if (!isSchema(schema) || !isPlainObject(values)) return [];
  const problems: FieldProblem[] = [];
  for (const [name, kind] of numeralFields(schema)) {
    if (!Object.hasOwn(values, name)) continue;
    const value = values[name];
    const texts: Array<[unknown, string]> = Array.isArray(value)
      ? value.map((item, i) => [item, `${name}.${i}`])
      : [[value, name]];
    for (const [text, field] of texts) {
      if (typeof text === 'string' && !DECIMAL_NUMERALS[kind].test(text))
        problems.push({ field, message: `must be a decimal ${kind}` });
    }
  }
  return problems;
}
