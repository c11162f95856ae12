// @vitest-environment happy-dom
import { notifications } from '@mantine/notifications';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../i18n/i18n.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../testing/page-harness.tsx';
import { signInAsShopper } from '../testing/session.ts';
import { useLogout } from './use-logout.ts';

function LogoutButton() {
  const logout = useLogout();
  return (
    <button type="button" onClick={() => void logout()}>
      logout
    </button>
  );
}

describe('logging out', () => {
  afterEach(async () => {
    await cleanUpPages();
    vi.restoreAllMocks();
    await setLanguage('ko');
  });

  for (const [language, words] of [
    ['ko', '로그아웃되었습니다.'],
    ['en', 'You have been logged out.'],
  ] as const) {
    it(`says so in the reader's language (${language})`, async () => {
      await setLanguage(language);
      const shownMessages: unknown[] = [];
      vi.spyOn(notifications, 'show').mockImplementation((data) => {
        shownMessages.push(data.message);
        return 'logout';
      });
      stubFetch({ 'POST /api/auth/logout': () => new Response(null, { status: 204 }) });
      await signInAsShopper();
      const page = await renderPage(<LogoutButton />);
      await act(async () => page.querySelector('button')?.click());
      expect(await shown(() => shownMessages[0])).toBe(words);
    });
  }
});
