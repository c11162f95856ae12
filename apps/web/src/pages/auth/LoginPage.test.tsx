// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
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

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

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

// The gateway's limiter answers 429 with a sentence for developers ("try again in 2 s"): shown as it was,
// English readers saw a countdown that never moved, while Korean readers saw the shop's own words.
describe('too many login attempts', () => {
  const gatewayLimit = () =>
    problem(429, {
      type: 'urn:sagamart:problem:rate-limited',
      title: 'Too Many Requests',
      detail: 'Too many requests; try again in 2 s',
      retryAfterSeconds: 2,
    });
  const cooldown = () =>
    problem(429, {
      type: 'urn:sagamart:problem:login-cooldown',
      detail: 'Too many failed logins. Try again in 30 seconds.',
      retryAfterSeconds: 30,
    });

  it("says so in the shop's own English words, with no frozen number of seconds", async () => {
    await setLanguage('en');
    const alert = await logIn(gatewayLimit);
    expect(alert.textContent).toContain('Too many requests. Please try again shortly.');
    expect(alert.textContent).not.toContain('2 s');
  });

  it('says so for the login cooldown too', async () => {
    await setLanguage('en');
    const alert = await logIn(cooldown);
    expect(alert.textContent).toContain('Too many failed logins. Please wait a moment and try again.');
    expect(alert.textContent).not.toContain('30 seconds');
  });

  it('says the same in Korean', async () => {
    const alert = await logIn(gatewayLimit);
    expect(alert.textContent).toContain('요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.');
  });
});
