// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanUpPages,
  problem,
  renderPage,
  shown,
  stubFetch,
  typeInto,
} from '../../testing/page-harness.tsx';
import { LoginPage } from './LoginPage.tsx';

// auth-service refuses a login with a problem code; the page said "로그인하지 못했습니다 / 로그인이
// 필요합니다." for a wrong password, the generic words of a 401, because it had no words for the code.

let container: HTMLElement;

/** Logs in as the visitor would, auth-service answering `answer`; the alert the page then shows. */
async function logIn(answer: () => Response): Promise<Element> {
  stubFetch({ 'POST /api/auth/login': answer });
  container = await renderPage(<LoginPage />, ['/login']);
  const field = (selector: string) => container.querySelector<HTMLInputElement>(selector)!;
  await typeInto(field('input[type="email"]'), 'jiwoo@example.com');
  await typeInto(field('input[autocomplete="current-password"]'), 'Wrong123!');
  await act(async () => field('button[type="submit"]').click());
  return shown(() => container.querySelector('[role="alert"]'));
}

afterEach(cleanUpPages);

describe('a refused login', () => {
  it('says the email or password is wrong, not that a login is needed', async () => {
    const alert = await logIn(() =>
      problem(401, { type: 'urn:sagamart:problem:invalid-credentials', detail: 'Invalid email or password' }),
    );
    expect(alert.textContent).toContain('로그인하지 못했습니다');
    expect(alert.textContent).toContain('이메일 또는 비밀번호가 올바르지 않습니다.');
    expect(alert.textContent).not.toContain('로그인이 필요합니다');
  });

  it('says the logins failed too often, after too many', async () => {
    const alert = await logIn(() =>
      problem(429, {
        type: 'urn:sagamart:problem:login-cooldown',
        detail: 'Too many failed logins. Try again in 30 seconds.',
        retryAfterSeconds: 30,
      }),
    );
    expect(alert.textContent).toContain('로그인에 여러 번 실패했습니다.');
  });

  it('says the account cannot be used, not that the visitor lacks a permission', async () => {
    const alert = await logIn(() =>
      problem(403, {
        type: 'urn:sagamart:problem:account-disabled',
        detail: 'This account is suspended',
        accountStatus: 'SUSPENDED',
      }),
    );
    expect(alert.textContent).toContain('이용할 수 없는 계정입니다.');
    expect(alert.textContent).not.toContain('권한');
  });
});
