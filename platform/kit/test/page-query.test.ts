import { defineService, fetchPage, type Kysely, reconcileTotal, type Service } from '@sagamart/kit';
import { startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Db {
  items: { n: number };
}

/** `fetchPage` on a real table of five items, n = 1…5. */
describe('kit fetchPage', () => {
  let service: Service<Db>;
  let db: Kysely<Db>;
  beforeAll(async () => {
    service = await startTestService(
      defineService<Db>({
        name: 'page-query',
        port: 0,
        migrations: {
          '0001': {
            up: async (db: Kysely<Db>) => {
              await db.schema.createTable('items').addColumn('n', 'integer').execute();
              await db
                .insertInto('items')
                .values([1, 2, 3, 4, 5].map((n) => ({ n })))
                .execute();
            },
          },
        },
        routes() {},
      }),
    );
    db = service.context.db;
  });
  afterAll(() => service?.stop());

  const page = (page: number, size: number, narrowTo = 5) =>
    fetchPage(
      db.selectFrom('items'),
      // `narrowTo` hides rows from the page query only: what a row committed between the count and
      // the page looks like (the count sees it, the page does not).
      (q) => q.select('n').where('n', '<=', narrowTo).orderBy('n'),
      { page, size },
      (rows) => rows.map((r) => r.n),
    );

  it('reads Spring pages: content, totals and the first and last flags', async () => {
    expect(await page(0, 2)).toEqual({
      content: [1, 2],
      page: 0,
      size: 2,
      totalElements: 5,
      totalPages: 3,
      first: true,
      last: false,
    });
    expect(await page(2, 2)).toMatchObject({ content: [5], totalElements: 5, first: false, last: true });
    expect(await page(3, 2)).toMatchObject({ content: [], totalElements: 5, last: true });
  });

  it('never reports a total its own rows contradict when the count saw rows the page did not', async () => {
    // The count says 5; the page saw none of them: an empty first page, not "1 of 5" with nothing in it.
    expect(await page(0, 20, 0)).toMatchObject({ content: [], totalElements: 0, totalPages: 0, last: true });
    // A short page is the last one, whatever the count says.
    expect(await page(0, 20, 3)).toMatchObject({ content: [1, 2, 3], totalElements: 3, last: true });
    expect(await page(1, 2, 3)).toMatchObject({ content: [3], totalElements: 3, last: true });
    // A full page keeps the count, which may know of more.
    expect(await page(0, 2, 3)).toMatchObject({ content: [1, 2], totalElements: 5, last: false });
  });

  it('reconciles a count with the rows of a page', () => {
    expect(reconcileTotal(9, 3, 1, 5)).toBe(8); // short page: 5 before it and 3 on it
    expect(reconcileTotal(1, 0, 0, 20)).toBe(0); // empty first page: nothing at all
    expect(reconcileTotal(4, 5, 0, 5)).toBe(5); // full page: at least 5, though the count said 4
    expect(reconcileTotal(30, 5, 0, 5)).toBe(30);
    expect(reconcileTotal(30, 0, 2, 10)).toBe(20); // page past the end: at most the 20 before it
    expect(reconcileTotal(12, 0, 5, 10)).toBe(12);
  });
});
