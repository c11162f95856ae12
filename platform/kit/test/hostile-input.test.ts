import { defineService, type Kysely, type Service, sql } from '@sagamart/kit';
import { rawHttpRequest, startTestService } from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every route here stores what it is given in PostgreSQL, so anything the kit lets through that the
// database refuses shows up as a 5xx.
const demo = defineService({
  name: 'hostile-demo',
  port: 0,
  migrations: {
    '0001': {
      up: async (db: Kysely<any>) =>
        void (await sql`create table notes (id serial primary key, body text, amount bigint, ratio float8)`.execute(
          db,
        )),
    },
  },
  routes(app, ctx) {
    const db = ctx.db as Kysely<any>;
    app.post(
      '/notes',
      {
        schema: {
          body: Type.Object({
            body: Type.String(),
            amount: Type.Integer(),
            ratio: Type.Optional(Type.Number()),
            tags: Type.Optional(Type.Array(Type.String())),
          }),
        },
      },
      async (req, reply) => {
        const { body, amount, ratio = 0 } = req.body;
        const row = await db
          .insertInto('notes')
          .values({ body, amount, ratio })
          .returning('id')
          .executeTakeFirstOrThrow();
        return reply.status(201).send(row);
      },
    );
    app.get(
      '/notes/:id',
      { schema: { params: Type.Object({ id: Type.Integer() }) } },
      async (req) =>
        (await db.selectFrom('notes').selectAll().where('amount', '=', req.params.id).execute()).length,
    );
    app.get(
      '/search',
      {
        schema: {
          querystring: Type.Object({
            q: Type.String(),
            min: Type.Optional(Type.Number()),
            limit: Type.Optional(Type.Integer()),
          }),
        },
      },
      async (req) =>
        (
          await db
            .selectFrom('notes')
            .selectAll()
            .where('body', '=', req.query.q)
            .where('ratio', '>=', req.query.min ?? 0)
            .limit(req.query.limit ?? 10)
            .execute()
        ).length,
    );
    // No schema at all: the kit's guards still apply.
    app.post('/raw', async (req) => {
      const { body } = req.body as { body: string };
      await db.insertInto('notes').values({ body, amount: 0, ratio: 0 }).execute();
      return { ok: true };
    });
  },
});

let service: Service<any>;
beforeAll(async () => {
  service = await startTestService(demo);
});
afterAll(() => service?.stop());

async function expectProblem(res: Response, status: number) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await res.json()) as { status: number; traceId?: string; type: string };
  expect(res.status).toBe(status);
  expect(problem.status).toBe(status);
  expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
  return problem;
}

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('hostile input gets a 4xx problem, never a 5xx', () => {
  it.each([
    ['1e309', '{"body":"a","amount":1e309}'],
    ['-1e309', '{"body":"a","amount":-1e309}'],
    ['20 digits', '{"body":"a","amount":99999999999999999999}'],
    ['2^63', '{"body":"a","amount":9223372036854775808}'],
    ['an unsafe integer', `{"body":"a","amount":${2 ** 53 + 2}}`],
    ['an infinite float', '{"body":"a","amount":1,"ratio":1e999}'],
    ['a number as a string that coerces to Infinity', '{"body":"a","amount":"1e309"}'],
  ])('refuses %s in a body', async (_what, body) => {
    await expectProblem(await post('/notes', body), 400);
  });

  it.each(['1e309', '99999999999999999999', '9223372036854775808', '-Infinity'])(
    'refuses %s in a path or query',
    async (number) => {
      await expectProblem(await fetch(`${service.url}/notes/${number}`), 400);
      await expectProblem(await fetch(`${service.url}/search?q=a&limit=${number}`), 400);
    },
  );

  it.each(['1e309', '-1e999'])('refuses %s as a float in a query', async (number) => {
    await expectProblem(await fetch(`${service.url}/search?q=a&min=${number}`), 400);
  });

  it('still takes large safe numbers', async () => {
    const res = await post('/notes', JSON.stringify({ body: 'a', amount: 2 ** 53 - 1, ratio: 1e300 }));
    expect(res.status).toBe(201);
  });

  it.each([
    ['a body field', () => post('/notes', '{"body":"a\\u0000b","amount":1}')],
    ['an array item', () => post('/notes', '{"body":"a","amount":1,"tags":["x\\u0000"]}')],
    ['a key', () => post('/notes', '{"body":"a","amount":1,"\\u0000":1}')],
    ['a route without a schema', () => post('/raw', '{"body":"\\u0000"}')],
    ['a query', () => fetch(`${service.url}/search?q=a%00b`)],
    ['a path', () => fetch(`${service.url}/notes/1%00`)],
  ])('refuses a NUL character in %s', async (_where, send) => {
    const problem = await expectProblem(await send(), 400);
    expect(problem.type).toBe('urn:sagamart:problem:nul-character');
  });

  it('answers framework errors as problems', async () => {
    await expectProblem(await fetch(`${service.url}/notes/%ff`), 400);
    await expectProblem(await fetch(`${service.url}/notes/${'9'.repeat(500)}`), 414);
    await expectProblem(await post('/notes', '{"body":'), 400);
    await expectProblem(await post('/notes', '{"__proto__":{"x":1},"body":"a","amount":1}'), 400);
    await expectProblem(await post('/notes', 'body=a', 'application/x-www-form-urlencoded'), 415);
    await expectProblem(await post('/notes', 'x'.repeat(1_048_577)), 413);
  });

  it.each([
    ['a malformed request line', 'GARBAGE\r\n\r\n', 400],
    ['a bad header', 'GET /notes/1 HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400],
    ['oversized headers', `GET /notes/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['an HTTP/1.1 request without a Host header', 'GET /notes/1 HTTP/1.1\r\n\r\n', 400],
    ['a body without a Host header', 'POST /notes HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}', 400],
    [
      'an expectation other than 100-continue',
      'GET /notes/1 HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n',
      417,
    ],
  ])('answers %s as a problem', async (_what, bytes, status) => {
    const res = await rawHttpRequest(service, bytes);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = JSON.parse(res.body) as { status: number; traceId: string };
    expect(problem.status).toBe(status);
    expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('names the missing Host header, and still takes HTTP/1.0 without one', async () => {
    const refused = await rawHttpRequest(service, 'GET /notes/1 HTTP/1.1\r\n\r\n');
    expect(JSON.parse(refused.body)).toMatchObject({
      type: 'urn:sagamart:problem:missing-host',
      detail: expect.stringMatching(/Host/),
    });
    expect(refused.headers['x-trace-id']).toBe(JSON.parse(refused.body).traceId);
    const old = await rawHttpRequest(service, 'GET /notes/1 HTTP/1.0\r\n\r\n');
    expect(old.status).toBe(200);
  });
});
