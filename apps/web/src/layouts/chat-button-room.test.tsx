// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUpPages, renderPage, shown, stubFetch } from '../testing/page-harness.tsx';
import { signInAsAdmin, signInAsShopper, signOut } from '../testing/session.ts';
import { MyPageLayout } from './MyPageLayout.tsx';
import { ShopLayout } from './ShopLayout.tsx';

// The chat button floats over the bottom right corner of every shopper's page: each page ends with
// room for it, so its last lines (a refund button, the footer's language switch) scroll clear of it.

afterEach(async () => {
  await cleanUpPages();
  await signOut();
});

async function showPage(path: string) {
  stubFetch({});
  const container = await renderPage(
    <Routes>
      <Route element={<ShopLayout />}>
        <Route path="/products" element={<p>상품 목록</p>} />
      </Route>
      <Route path="/me" element={<MyPageLayout />}>
        <Route path="points" element={<p>포인트</p>} />
      </Route>
    </Routes>,
    [path],
  );
  await shown(() => container.querySelector('p'));
  return container;
}

const room = (container: HTMLElement) => container.querySelector('[data-testid="chat-button-room"]');

describe('room under a page for the chat button', () => {
  it('ends a shop page, under the footer’s last line', async () => {
    await signInAsShopper();
    const page = await showPage('/products');
    expect(page.querySelector('footer')?.lastElementChild?.lastElementChild).toBe(room(page));
  });

  it('ends a page of my account, which has no footer', async () => {
    await signInAsShopper();
    const page = await showPage('/me/points');
    expect(page.querySelector('main')?.contains(room(page))).toBe(true);
  });

  it('is left out for staff, who get no chat button', async () => {
    await signInAsAdmin();
    const page = await showPage('/products');
    expect(room(page)).toBeNull();
  });
});
