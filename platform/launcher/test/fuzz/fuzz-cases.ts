// Hostile requests derived from the OpenAPI documents the services publish: for every operation, a
// plausible request built from its schemas, then that request with one part replaced by a hostile
// value at a time. Pure (no I/O); a seeded generator picks the samples, so a seed replays a run.

/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema as published
type Schema = Record<string, any>;

export interface Operation {
  service: string;
  method: string;
  /** OpenAPI path template, e.g. /api/orders/{orderId}. */
  path: string;
  pathParams: Array<{ name: string; schema: Schema }>;
  queryParams: Array<{ name: string; required: boolean; schema: Schema }>;
  body: Schema | undefined;
}

/** One request to send: path with query (sent verbatim), headers and raw body. */
export interface FuzzRequest {
  operation: Operation;
  /** What is hostile about it, for the failure report. */
  label: string;
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every documented operation, in a stable order; platform endpoints (/health, /metrics) are left out. */
export function operationsOf(service: string, doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const path of Object.keys(doc.paths ?? {}).sort()) {
    if (/^\/(health|metrics|internal|openapi\.json)(\/|$)/.test(path)) continue;
    const item = doc.paths![path]!;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      operations.push({
        service,
        method: method.toUpperCase(),
        path,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: Boolean(p.required), schema: p.schema ?? {} })),
        body: content['application/json']?.schema,
      });
    }
  }
  return operations;
}

const uuid = (random: () => number) =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const n = Math.floor(random() * 16);
    return (c === 'x' ? n : (n & 0x3) | 0x8).toString(16);
  });

/** A value the schema accepts, as far as a few rules can tell (patterns are not solved). */
export function plausibleValue(schema: Schema, random: () => number, depth = 0): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(schema[key]) && schema[key].length > 0)
      return plausibleValue(schema[key][0], random, depth);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(min, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return true;
    case 'array': {
      if (depth > 4) return [];
      const count = Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: count }, () => plausibleValue(schema.items ?? {}, random, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const [name, child] of Object.entries(schema.properties ?? {}))
        out[name] = plausibleValue(child as Schema, random, depth + 1);
      return out;
    }
    case 'string': {
      if (schema.format === 'uuid') return uuid(random);
      if (schema.format === 'email') return `fuzz-${Math.floor(random() * 1e9)}@example.com`;
      if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (schema.format === 'date') return '2026-01-01';
      if (schema.format === 'uri') return 'https://example.com/x';
      const length = Math.min(Math.max(schema.minLength ?? 1, 3), schema.maxLength ?? 3);
      return 'abcdefgh'.repeat(Math.ceil(length / 8)).slice(0, length);
    }
    default:
      return 'x';
  }
}

const big = (n: number) => 'ð'.repeat(n);

/** Hostile JSON values for any body field. */
export const HOSTILE_JSON: Array<[string, string]> = [
  ['1e309', '1e309'],
  ['-1e309', '-1e309'],
  ['20 digits', '99999999999999999999'],
  ['2^63', '9223372036854775808'],
  ['2^31', '2147483648'],
  ['-2^31-1', '-2147483649'],
  ['2^53+1', '9007199254740993'],
  ['negative', '-1'],
  ['zero', '0'],
  ['fraction', '0.5'],
  ['-0', '-0'],
  ['NUL', '"\\u0000"'],
  ['NUL inside', '"ab\\u0000cd"'],
  ['long string', JSON.stringify(big(20_000))],
  ['empty string', '""'],
  ['lone surrogate', '"\\ud800"'],
  ['RTL override and zero width', '"\\u202e\\u200b\\ufeffx"'],
  ['emoji and combining', '"🙂e\\u0301𝕏"'],
  ['noncharacter', '"\\uffff"'],
  ['number as string', '"1e309"'],
  ['SQL', `"' OR 1=1 --"`],
  ['markup', '"<script>alert(1)</script>"'],
  ['path traversal', '"../../../etc/passwd"'],
  ['null', 'null'],
  ['true', 'true'],
  ['empty array', '[]'],
  ['array of scalars', '[1,"a",null]'],
  ['empty object', '{}'],
  ['__proto__', '{"__proto__":{"polluted":true}}'],
  ['constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
  ['deep nesting', `${'['.repeat(2000)}${']'.repeat(2000)}`],
];

/** Hostile path segments and query values, percent-encoded as sent (some deliberately malformed). */
export const HOSTILE_URL: Array<[string, string]> = [
  ['1e309', '1e309'],
  ['-1e309', '-1e309'],
  ['20 digits', '99999999999999999999'],
  ['2^63', '9223372036854775808'],
  ['2^31', '2147483648'],
  ['negative', '-1'],
  ['fraction', '1.5'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['hex', '0x10'],
  ['NUL', '%00'],
  ['NUL inside', 'ab%00cd'],
  ['bad percent-encoding', '%ff'],
  ['truncated percent-encoding', '%e2%82'],
  ['lone %', '%'],
  ['encoded slash traversal', '..%2f..%2finternal'],
  ['dot dot', '..'],
  ['long', 'a'.repeat(5_000)],
  ['empty', ''],
  ['RTL override', '%E2%80%AE'],
  ['emoji', '%F0%9F%99%82'],
  ['SQL', "'%20OR%201=1--"],
  ['__proto__', '__proto__'],
  ['true', 'true'],
];

const fillPath = (op: Operation, values: Record<string, string>) =>
  op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name] ?? 'x');

const encode = (value: unknown) =>
  encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The requests for one operation: a plausible one, then one hostile part at a time (every path
 * parameter, query parameter and top-level body field, with `perField` values sampled from the
 * catalogues), then whole-request attacks (malformed JSON, wrong types, huge bodies, bad paths).
 */
export function requestsFor(
  op: Operation,
  random: () => number,
  options: { perField: number; wholeRequest: boolean },
): FuzzRequest[] {
  const pathValues = Object.fromEntries(
    op.pathParams.map((p) => [p.name, encode(plausibleValue(p.schema, random))]),
  );
  const queryValues = Object.fromEntries(
    op.queryParams.filter((q) => q.required).map((q) => [q.name, encode(plausibleValue(q.schema, random))]),
  );
  const body = op.body ? plausibleValue(op.body, random) : undefined;
  const bodyText = body === undefined ? undefined : JSON.stringify(body);
  const json = { 'content-type': 'application/json' };
  const make = (
    label: string,
    path: Record<string, string>,
    query: Record<string, string> | string,
    text: string | undefined,
    headers: Record<string, string> = text === undefined ? {} : json,
  ): FuzzRequest => {
    const qs =
      typeof query === 'string'
        ? query
        : Object.entries(query)
            .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
            .join('&');
    return {
      operation: op,
      label,
      method: op.method,
      target: `${fillPath(op, path)}${qs ? `?${qs}` : ''}`,
      headers,
      body: text,
    };
  };
  const sample = <T>(list: T[]) => {
    const copy = [...list];
    const picked: T[] = [];
    while (picked.length < options.perField && copy.length > 0)
      picked.push(copy.splice(Math.floor(random() * copy.length), 1)[0]!);
    return picked;
  };

  const requests: FuzzRequest[] = [make('plausible', pathValues, queryValues, bodyText)];
  for (const p of op.pathParams) {
    for (const [label, value] of sample(HOSTILE_URL))
      requests.push(
        make(`path ${p.name}=${label}`, { ...pathValues, [p.name]: value }, queryValues, bodyText),
      );
  }
  for (const q of op.queryParams) {
    for (const [label, value] of sample(HOSTILE_URL))
      requests.push(
        make(`query ${q.name}=${label}`, pathValues, { ...queryValues, [q.name]: value }, bodyText),
      );
    const plausible = encode(plausibleValue(q.schema, random));
    requests.push(
      make(
        `query ${q.name} twice`,
        pathValues,
        `${encodeURIComponent(q.name)}=${plausible}&${encodeURIComponent(q.name)}=${plausible}`,
        bodyText,
      ),
    );
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const fields = Object.keys(body);
    for (const field of fields) {
      for (const [label, value] of sample(HOSTILE_JSON)) {
        const rest = JSON.stringify({ ...body, [field]: undefined });
        const text = `{${JSON.stringify(field)}:${value}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
        requests.push(make(`body ${field}=${label}`, pathValues, queryValues, text));
      }
    }
    // A hostile key, and one nested level down for fields that hold objects or arrays of them.
    requests.push(
      make(
        'body __proto__ key',
        pathValues,
        queryValues,
        `{"__proto__":{"polluted":true},${bodyText!.slice(1)}`,
      ),
    );
    for (const field of fields) {
      const value = (body as Record<string, unknown>)[field];
      const inner = Array.isArray(value) ? value[0] : value;
      if (!inner || typeof inner !== 'object' || Array.isArray(inner)) continue;
      for (const key of Object.keys(inner)) {
        for (const [label, hostile] of sample(HOSTILE_JSON).slice(0, 2)) {
          const nested = `{${JSON.stringify(key)}:${hostile},${JSON.stringify({ ...inner, [key]: undefined }).slice(1)}`;
          const wrapped = Array.isArray(value)
            ? `[${nested.replace(/,}$/, '}')}]`
            : nested.replace(/,}$/, '}');
          const rest = JSON.stringify({ ...body, [field]: undefined });
          const text = `{${JSON.stringify(field)}:${wrapped}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
          requests.push(make(`body ${field}.${key}=${label}`, pathValues, queryValues, text));
        }
      }
    }
  }
  if (!options.wholeRequest) return requests;

  const basePath = fillPath(op, pathValues);
  const raw = (label: string, target: string): FuzzRequest => ({
    operation: op,
    label,
    method: op.method,
    target,
    headers: bodyText === undefined ? {} : json,
    body: bodyText,
  });
  requests.push(
    raw('bad percent-encoding in the path', `${basePath}/%ff`),
    raw('dot segments in the path', `${basePath}/../../internal/x`),
    raw('encoded traversal in the path', `${basePath}%2f..%2f..%2finternal`),
    raw('very long path', `${basePath}/${'a'.repeat(8_000)}`),
    raw('bad percent-encoding in the query', `${basePath}?%ff=%ff&a=%`),
    raw('__proto__ in the query', `${basePath}?__proto__[polluted]=1&constructor[prototype][polluted]=1`),
  );
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    requests.push(
      make('malformed JSON', pathValues, queryValues, '{"a":'),
      make('JSON null', pathValues, queryValues, 'null'),
      make('JSON array', pathValues, queryValues, '[1,2]'),
      make('JSON string', pathValues, queryValues, '"x"'),
      make('empty JSON body', pathValues, queryValues, ''),
      make('wrong content type', pathValues, queryValues, 'a=1', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      make('text body', pathValues, queryValues, 'hello', { 'content-type': 'text/plain' }),
      make('huge body', pathValues, queryValues, `{"x":"${'a'.repeat(1_100_000)}"}`),
      make('deeply nested JSON', pathValues, queryValues, `{"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`),
    );
  }
  return requests;
}
