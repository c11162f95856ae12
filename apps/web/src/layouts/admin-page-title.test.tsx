// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n/i18n.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../testing/page-harness.tsx';
import { signInAsAdmin, signInAsAgent, signOut } from '../testing/session.ts';
import { AdminLayout } from './AdminLayout.tsx';

// A console screen is titled by its section and the console: an agent's help desk read "Help desk ·
// Help desk | Parkshinsa Mall", the section named as the console is.

afterEach(async () => {
  await cleanUpPages();
  await signOut();
  await setLanguage('ko');
});

async function titleAt(path: string): Promise<string> {
  stubFetch({});
  const container = await renderPage(
    <Routes>
      <Route path="/admin" element={<AdminLayout />}>
        <Route path="*" element={<p>화면</p>} />
      </Route>
    </Routes>,
    [path],
  );
  await shown(() => container.querySelector('p'));
  return document.title;
}

describe('a console screen’s title', () => {
  it('names the help desk once for an agent', async () => {
    await signInAsAgent();
    await setLanguage('en');
    expect(await titleAt('/admin/chat')).toBe('Help desk | Parkshinsa Mall');
    await cleanUpPages();
    expect(await titleAt('/admin/chat-answers')).toBe('Canned answers · Help desk | Parkshinsa Mall');
  });

  it('names it once in Korean too', async () => {
    await signInAsAgent();
    expect(await titleAt('/admin/chat')).toBe('상담 콘솔 | 박신사몰');
    await cleanUpPages();
    expect(await titleAt('/admin/chat-answers')).toBe('자주 쓰는 답변 · 상담 | 박신사몰');
  });

  it('names the section and the admin console for an admin', async () => {
    await signInAsAdmin();
    expect(await titleAt('/admin/orders')).toBe('주문 · 관리자 | 박신사몰');
    await setLanguage('en');
    expect(await titleAt('/admin/chat')).toBe('Help desk · Admin | Parkshinsa Mall');
  });
});
