// @vitest-environment happy-dom
import { act } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { currentLanguage, setLanguage } from '../i18n/i18n.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../testing/page-harness.tsx';
import { signInAsAdmin, signInAsAgent, signInAsShopper, signOut } from '../testing/session.ts';
import { AdminLayout } from './AdminLayout.tsx';
import { MyPageLayout } from './MyPageLayout.tsx';

// The language switch was only in the shop's footer: my page, the admin console and the agent's help
// desk had none, so an English reader there had to go back to the shop to change it.

afterEach(async () => {
  await cleanUpPages();
  await signOut();
  await setLanguage('ko');
});

async function show(layout: 'me' | 'admin', path: string) {
  stubFetch({});
  return renderPage(
    <Routes>
      <Route path="/me" element={<MyPageLayout />}>
        <Route path="*" element={<p>화면</p>} />
      </Route>
      <Route path="/admin" element={<AdminLayout />}>
        <Route path="*" element={<p>화면</p>} />
      </Route>
    </Routes>,
    [path],
  ).then(async (container) => {
    await shown(() => container.querySelector('p'));
    expect(layout).toBeTruthy();
    return container;
  });
}

/** The switch in the side navigation (the phone's menu too): English chosen from it. */
async function switchToEnglish(container: HTMLElement) {
  const nav = container.ownerDocument.querySelector('nav');
  const english = [...(nav?.querySelectorAll('label') ?? [])].find(
    (label) => label.textContent === 'English',
  );
  expect(english, 'an English choice in the side navigation').toBeTruthy();
  await act(async () => english?.click());
  await shown(() => currentLanguage() === 'en');
}

describe('the language switch', () => {
  it('is on my page', async () => {
    await signInAsShopper();
    const container = await show('me', '/me/orders');
    await switchToEnglish(container);
    expect(container.ownerDocument.querySelector('nav')?.textContent).toContain('Orders');
  });

  it('is in the admin console', async () => {
    await signInAsAdmin();
    const container = await show('admin', '/admin/orders');
    await switchToEnglish(container);
  });

  it('is in the agent’s help desk', async () => {
    await signInAsAgent();
    const container = await show('admin', '/admin/chat');
    await switchToEnglish(container);
  });
});
