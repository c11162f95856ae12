import { randomUUID } from 'node:crypto';
import { ADDRESS_BOOK_LIMIT } from '@sagamart/contracts/http/addresses';
import { PHONE_RULE_MESSAGE } from '@sagamart/contracts/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, type Pair, signedUpUser, startPair } from './support.ts';

const PATH = '/api/users/me/addresses';

function address(overrides: Record<string, unknown> = {}) {
  return {
    label: '집',
    receiverName: '김하늘',
    receiverPhone: '01034567890',
    zipcode: '04524',
    address: '서울특별시 중구 세종대로 110',
    addressDetail: '3층',
    ...overrides,
  };
}

describe('the address book', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair.stop();
  });

  async function shopper() {
    const { userId } = await signedUpUser(pair);
    return asUser(userId);
  }

  it('needs a signed-in user', async () => {
    expect((await pair.userApi.get(PATH)).status).toBe(401);
    expect((await pair.userApi.post(PATH, address())).status).toBe(401);
  });

  it('saves addresses; the first is the default, and a later one can take it over', async () => {
    const me = await shopper();
    expect((await pair.userApi.get(PATH, me)).body).toEqual([]);

    const home = await pair.userApi.post(PATH, address({ isDefault: false }), me);
    expect(home.status).toBe(201);
    expect(home.body).toMatchObject({
      label: '집',
      receiverName: '김하늘',
      receiverPhone: '010-3456-7890',
      zipcode: '04524',
      addressDetail: '3층',
      isDefault: true,
    });

    const office = await pair.userApi.post(
      PATH,
      address({ label: '회사', address: '경기도 성남시 분당구 판교역로 235' }),
      me,
    );
    expect(office.body.isDefault).toBe(false);
    const list = await pair.userApi.get(PATH, me);
    expect(list.body.map((a: { label: string }) => a.label)).toEqual(['집', '회사']);

    const moved = await pair.userApi.post(`${PATH}/${office.body.id}/default`, {}, me);
    expect(moved.status).toBe(200);
    const after = await pair.userApi.get(PATH, me);
    expect(after.body.map((a: { label: string; isDefault: boolean }) => [a.label, a.isDefault])).toEqual([
      ['회사', true],
      ['집', false],
    ]);
  });

  it('edits an address in place and keeps exactly one default', async () => {
    const me = await shopper();
    const first = (await pair.userApi.post(PATH, address(), me)).body;
    const second = (await pair.userApi.post(PATH, address({ label: '본가' }), me)).body;

    const edited = await pair.userApi.put(
      `${PATH}/${second.id}`,
      address({ label: '부모님 댁', addressDetail: '', isDefault: true }),
      me,
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: second.id,
      label: '부모님 댁',
      addressDetail: null,
      isDefault: true,
    });
    const list = (await pair.userApi.get(PATH, me)).body as Array<{ id: string; isDefault: boolean }>;
    expect(list.filter((a) => a.isDefault).map((a) => a.id)).toEqual([second.id]);
    expect(list.find((a) => a.id === first.id)?.isDefault).toBe(false);
  });

  it('hands the default on when the default is deleted', async () => {
    const me = await shopper();
    const first = (await pair.userApi.post(PATH, address({ label: 'A' }), me)).body;
    const second = (await pair.userApi.post(PATH, address({ label: 'B' }), me)).body;
    expect((await pair.userApi.delete(`${PATH}/${first.id}`, me)).status).toBe(204);
    const list = (await pair.userApi.get(PATH, me)).body;
    expect(list).toEqual([expect.objectContaining({ id: second.id, isDefault: true })]);
    expect((await pair.userApi.delete(`${PATH}/${first.id}`, me)).status).toBe(404);
  });

  it("never shows or changes another shopper's address", async () => {
    const owner = await shopper();
    const other = await shopper();
    const saved = (await pair.userApi.post(PATH, address(), owner)).body;
    expect((await pair.userApi.get(PATH, other)).body).toEqual([]);
    expect((await pair.userApi.put(`${PATH}/${saved.id}`, address({ label: 'x' }), other)).status).toBe(404);
    expect((await pair.userApi.post(`${PATH}/${saved.id}/default`, {}, other)).status).toBe(404);
    expect((await pair.userApi.delete(`${PATH}/${saved.id}`, other)).status).toBe(404);
    expect((await pair.userApi.get(PATH, owner)).body).toEqual([expect.objectContaining({ label: '집' })]);
    expect((await pair.userApi.delete(`${PATH}/${randomUUID()}`, owner)).status).toBe(404);
  });

  it('refuses bad input with 400 and field messages, and a full book with 409', async () => {
    const me = await shopper();
    const bad = await pair.userApi.post(PATH, address({ receiverPhone: '1234', zipcode: '12' }), me);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'receiverPhone', message: PHONE_RULE_MESSAGE },
        expect.objectContaining({ field: 'zipcode' }),
      ]),
    );
    expect((await pair.userApi.post(PATH, address({ receiverName: '   ' }), me)).status).toBe(400);
    expect((await pair.userApi.post(PATH, { ...address(), extra: 1 }, me)).status).toBe(400);
    expect((await pair.userApi.put(`${PATH}/not-a-uuid`, address(), me)).status).toBe(400);

    // Saved concurrently, as two tabs would: the limit holds and exactly one is the default.
    const attempts = await Promise.all(
      Array.from({ length: ADDRESS_BOOK_LIMIT + 2 }, (_, i) =>
        pair.userApi.post(PATH, address({ label: `주소 ${i}` }), me),
      ),
    );
    expect(attempts.filter((a) => a.status === 201)).toHaveLength(ADDRESS_BOOK_LIMIT);
    const refused = attempts.filter((a) => a.status === 409);
    expect(refused).toHaveLength(2);
    expect(refused[0]?.body.type).toBe('urn:sagamart:problem:address-book-full');
    const list = (await pair.userApi.get(PATH, me)).body as Array<{ isDefault: boolean }>;
    expect(list).toHaveLength(ADDRESS_BOOK_LIMIT);
    expect(list.filter((a) => a.isDefault)).toHaveLength(1);
  });
});
