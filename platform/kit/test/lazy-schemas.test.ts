import { compileRouteSchemas, defineService, type Service, type ServiceApp } from '@sagamart/kit';
import { testConfig, testLog } from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';

// Route schemas compile at a route's first request (kit lazy-schemas.ts): these services are started
// without the testkit's `startTestService`, which compiles them all at once.
const running: Service<any>[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

const listing = defineService({
  name: 'lazy-schema-service',
  port: 0,
  description: 'A service whose route schemas compile on first use',
  routes(app) {
    app.get(
      '/items',
      {
        schema: {
          querystring: Type.Object({
            page: Type.Integer({ minimum: 0, default: 0 }),
            tag: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
          }),
          response: { 200: Type.Object({ page: Type.Integer(), tags: Type.Array(Type.String()) }) },
        },
      },
      // The extra field is not in the response schema: the compiled serializer leaves it out.
      async (req) => ({ page: req.query.page, tags: req.query.tag, internal: 'not for callers' }),
    );
    app.post(
      '/items',
      {
        schema: {
          body: Type.Object({ name: Type.String({ minLength: 2 }), price: Type.Integer({ minimum: 0 }) }),
        },
      },
      async (req) => ({ name: req.body.name }),
    );
    app.patch(
      '/items/:id',
      {
        schema: {
          body: Type.Object({ name: Type.String() }, { additionalProperties: false }),
        },
      },
      async (req) => ({ name: req.body.name }),
    );
  },
});

async function start(factory: typeof listing) {
  const service = factory({ env: {}, log: testLog, config: testConfig() });
  running.push(service);
  await service.start();
  return service;
}

describe('route schemas compiled at first use', () => {
  it('coerce, default, validate and serialize as compiled ones do', async () => {
    const service = await start(listing);
    const coerced = await fetch(`${service.url}/items?page=3&tag=new`);
    expect(await coerced.json()).toEqual({ page: 3, tags: ['new'] });
    const defaulted = await fetch(`${service.url}/items`);
    expect(await defaulted.json()).toEqual({ page: 0, tags: [] });

    const refused = await fetch(`${service.url}/items?page=-1`);
    expect(refused.status).toBe(400);
    const bad = await fetch(`${service.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', price: -5 }),
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: Array<{ field: string }> };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['name', 'price']);
    // The errors are the request's own, not left over from an earlier one.
    const good = await fetch(`${service.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lamp', price: 0 }),
    });
    expect(good.status).toBe(200);
  });

  it.each([
    ['a number as a string', '"12"'],
    ['a hexadecimal string', '"0x118"'],
    ['an exponent string', '"1e2"'],
    ['a boolean', 'true'],
    ['null', 'null'],
    ['an array of one number', '[5]'],
  ])('refuses %s where a JSON body expects an integer, and still coerces the query', async (_what, price) => {
    const service = await start(listing);
    const res = await fetch(`${service.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"name":"lamp","price":${price}}`,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { type: string; detail: string; errors: unknown };
    expect(problem.type).toBe('urn:sagamart:problem:validation');
    expect(problem.detail).toBe('Invalid body: price must be integer');
    expect(problem.errors).toEqual([{ field: 'price', message: 'must be integer' }]);
    // The query is text on the wire: its numbers and arrays still coerce.
    const listed = await fetch(`${service.url}/items?page=12&tag=new`);
    expect(await listed.json()).toEqual({ page: 12, tags: ['new'] });
  });

  it('names each field a body does not take, not its parent', async () => {
    const service = await start(listing);
    const res = await fetch(`${service.url}/items/1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lamp', role: 'ADMIN' }),
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { detail: string; errors: unknown };
    expect(problem.errors).toEqual([{ field: 'role', message: 'is not a field of this request' }]);
    expect(problem.detail).toBe('Invalid body: role is not a field of this request');
  });

  it('refuses a number where a JSON body expects a string', async () => {
    const service = await start(listing);
    const res = await fetch(`${service.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 12345, price: 1 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toBe('Invalid body: name must be string');
  });

  it('a schema that cannot compile still fails where the testkit compiles them all', async () => {
    const broken = oneRoute('broken-schema-service', (app) =>
      app.get('/broken', { schema: { querystring: { $ref: 'nowhere#' } } }, async () => ({})),
    );
    const service = await start(broken);
    expect(() => compileRouteSchemas(service.app)).toThrow(/nowhere/);
  });

  it('a header schema names its headers in lowercase, as requests carry them, or the service does not start', async () => {
    const capitalised = oneRoute('capitalised-header-service', (app) =>
      app.get(
        '/keyed',
        { schema: { headers: Type.Object({ 'Idempotency-Key': Type.String() }) } },
        async () => ({}),
      ),
    );
    await expect(start(capitalised)).rejects.toThrow(/name the header Idempotency-Key in lowercase/);
    const lowercase = oneRoute('lowercase-header-service', (app) =>
      app.get(
        '/keyed',
        { schema: { headers: Type.Object({ 'idempotency-key': Type.String({ minLength: 3 }) }) } },
        async (req) => ({ key: req.headers['idempotency-key'] }),
      ),
    );
    const service = await start(lowercase);
    const keyed = await fetch(`${service.url}/keyed`, { headers: { 'Idempotency-Key': 'abc-1' } });
    expect(await keyed.json()).toEqual({ key: 'abc-1' });
    expect((await fetch(`${service.url}/keyed`)).status).toBe(400);
  });
});

// Query strings, path parameters and headers are text: a number in them is a decimal numeral, not
// whatever Ajv's coercion makes of the text (`Number("0x118")` is 280, `Number(" 12 ")` is 12).
const numerals = defineService({
  name: 'numeral-service',
  port: 0,
  description: 'A service with numbers in its query, path and headers',
  routes(app) {
    app.get(
      '/shelves/:shelf',
      {
        schema: {
          params: Type.Object({ shelf: Type.Integer({ minimum: 1 }) }),
          querystring: Type.Object({
            page: Type.Integer({ minimum: 0, default: 0 }),
            size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            ratio: Type.Optional(Type.Number()),
            ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }))),
            inStock: Type.Optional(Type.Boolean()),
            name: Type.Optional(Type.String()),
          }),
          headers: Type.Object({ 'x-limit': Type.Optional(Type.Integer({ minimum: 0 })) }),
        },
      },
      async (req) => ({ shelf: req.params.shelf, ...req.query, limit: req.headers['x-limit'] ?? null }),
    );
  },
}) as typeof listing;

describe('numbers in a query, a path or a header', () => {
  it('take plain decimal numerals and still coerce as before: numbers, arrays, booleans, defaults', async () => {
    const service = await start(numerals);
    const read = async (target: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${service.url}${target}`, { headers });
      expect(res.status, target).toBe(200);
      return res.json();
    };
    expect(await read('/shelves/7?page=0&size=20&ids=1&ids=2&inStock=true', { 'x-limit': '12' })).toEqual({
      shelf: 7,
      page: 0,
      size: 20,
      ids: [1, 2],
      inStock: true,
      limit: 12,
    });
    expect(await read('/shelves/007?ids=3&inStock=false&ratio=-1.25e-3&name=0x118')).toEqual({
      shelf: 7,
      page: 0,
      size: 20,
      ids: [3],
      ratio: -0.00125,
      inStock: false,
      name: '0x118',
      limit: null,
    });
    expect((await read('/shelves/1?ratio=2&page=-0')).ratio).toBe(2);
  });

  const notIntegers = ['0x118', '0b1', '0o7', ' 12 ', '1e3', '1.0', '+5', '', 'Infinity', '12abc'];
  it.each(notIntegers)(
    'refuses %j for an integer in a query, a path, an array item and a header',
    async (text) => {
      const service = await start(numerals);
      const refused = async (
        target: string,
        field: string,
        where: string,
        headers?: Record<string, string>,
      ) => {
        const res = await fetch(`${service.url}${target}`, headers ? { headers } : {});
        expect(res.status, target).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const problem = (await res.json()) as { type: string; detail: string; errors: unknown };
        expect(problem.type).toBe('urn:sagamart:problem:validation');
        expect(problem.detail).toBe(`Invalid ${where}: ${field} must be a decimal integer`);
        expect(problem.errors).toEqual([{ field, message: 'must be a decimal integer' }]);
      };
      const value = encodeURIComponent(text);
      await refused(`/shelves/1?page=${value}`, 'page', 'querystring');
      await refused(`/shelves/1?ids=2&ids=${value}`, 'ids.1', 'querystring');
      if (text !== '') await refused(`/shelves/${value}`, 'shelf', 'params');
      // fetch trims a header's value; a trimmed one is the plain numeral it would be.
      if (text.trim() === text) await refused('/shelves/1', 'x-limit', 'headers', { 'x-limit': text });
    },
  );

  it.each(['0x10', '0b1', ' 1.5', '1.5e', '.5', '1.', 'NaN', ''])(
    'refuses %j for a number in a query',
    async (text) => {
      const service = await start(numerals);
      const res = await fetch(`${service.url}/shelves/1?ratio=${encodeURIComponent(text)}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        detail: 'Invalid querystring: ratio must be a decimal number',
        errors: [{ field: 'ratio', message: 'must be a decimal number' }],
      });
    },
  );
});

/** A service with the one route `register` adds. */
function oneRoute(name: string, register: (app: ServiceApp) => unknown) {
  return defineService({
    name,
    port: 0,
    description: `${name}, for a test of route schemas`,
    routes(app) {
      register(app);
    },
  }) as typeof listing;
}
