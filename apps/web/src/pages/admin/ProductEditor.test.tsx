// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import { anAdminProduct } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ProductEditor } from './ProductEditor.tsx';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const GONE = '0f8e2b1c-4d3a-4b5c-8d7e-6f5a4b3c2d1e';

const category = {
  id: 3,
  parentId: null,
  name: '티셔츠',
  depth: 1,
  displayOrder: 0,
  displayed: true,
  version: 1,
  productCount: 1,
  children: [],
};

const product = anAdminProduct({
  description: `<p>착용 사진</p><img src="/api/products/images/${GONE}" alt="">`,
});

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

/** Saves the product; product-service refuses it: its description shows an image that was cleaned up. */
async function saveRefused() {
  stubFetch({
    'GET /api/admin/categories': () => Response.json([category]),
    'PUT /api/admin/products/12': () =>
      problem(400, {
        type: 'urn:sagamart:problem:unknown-image',
        detail: `The description shows images that do not exist (any more): ${GONE}; upload them again`,
        errors: [{ field: 'description', message: `unknown images: ${GONE}` }],
      }),
  });
  const container = await renderPage(<ProductEditor product={product} listSearch="" />);
  const form = await shown(() => container.querySelector('form'));
  await act(async () => form.requestSubmit());
  const alert = await shown(() => container.querySelector('[role="alert"]'));
  return { container, alert };
}

describe('the product editor, when the description shows an image that no longer exists', () => {
  it('says so in words, at the top and at the description, never with the image id', async () => {
    const { container, alert } = await saveRefused();
    const words =
      '상품 설명에 없는 이미지나 이미 삭제된 이미지가 들어 있습니다. 이미지를 새로 올려 설명에 다시 넣어 주세요.';
    expect(alert.textContent).toContain('상품을 저장하지 못했습니다');
    expect(alert.textContent).toContain(words);
    const description = container.querySelector('textarea');
    const describedBy = description?.getAttribute('aria-describedby') ?? '';
    const messages = describedBy
      .split(' ')
      .map((id) => container.ownerDocument.getElementById(id)?.textContent ?? '');
    expect(messages).toContain(words);
    expect(alert.textContent).not.toMatch(UUID);
  });

  it('in English too', async () => {
    await setLanguage('en');
    const { alert } = await saveRefused();
    expect(alert.textContent).toContain(
      'The description shows an image that does not exist or was removed: upload it again and put it back in the description.',
    );
    expect(alert.textContent).not.toMatch(UUID);
  });
});
