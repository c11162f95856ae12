// @vitest-environment happy-dom
import { COUPON_CODE_MAX_LENGTH, PASSWORD_RULE_MESSAGE } from '@sagamart/contracts/rules';
import { act, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { fieldErrorLabel } from '../../i18n/labels.ts';
import {
  cleanUpPages,
  problem,
  renderPage,
  shown,
  stubFetch,
  typeInto as type,
} from '../../testing/page-harness.tsx';
import { CouponClaimForm } from './CouponClaimForm.tsx';
import { PasswordChangeForm } from './PasswordChangeForm.tsx';
import { PointsChargeForm } from './PointsChargeForm.tsx';

// The services explain a refused field in English (`errors[].message`); the forms used to put that
// sentence under a Korean field ("The current password is incorrect.", "The amount must be at most
// 1000000 won."). A field's message is now the reader's words: for the problem's code, the shared rule
// or the schema keyword, else a generic one; the points maximum is checked before asking.

const HANGUL = /[\uac00-\ud7a3]/;

/** Every request gets `answer()`; the URLs asked for are kept. */
const serve = (answer: () => Response) => stubFetch({}, answer);

let container: HTMLElement;

async function show(node: ReactNode) {
  container = await renderPage(node);
}

function input(selector: string): HTMLInputElement {
  const found = container.querySelector<HTMLInputElement>(selector);
  if (!found) throw new Error(`no ${selector} in ${container.innerHTML}`);
  return found;
}

async function submit() {
  await act(async () => input('button[type="submit"]').click());
}

/** The message Mantine shows under the input (its `aria-describedby` error element). */
function messageUnder(field: HTMLInputElement): string | undefined {
  const ids = field.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids
    .map((id) => document.getElementById(id))
    .find((element) => element?.className.includes('error'))
    ?.textContent?.trim();
}

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('a wrong current password on my page', () => {
  const wrongCurrentPassword = () =>
    serve(() =>
      problem(400, {
        type: 'urn:sagamart:problem:wrong-current-password',
        detail: 'The current password is incorrect',
        errors: [{ field: 'currentPassword', message: 'The current password is incorrect.' }],
      }),
    );

  async function changePassword() {
    await show(<PasswordChangeForm />);
    await type(input('input[autocomplete="current-password"]'), 'Wrong123!');
    const [newPassword, confirm] = container.querySelectorAll<HTMLInputElement>(
      'input[autocomplete="new-password"]',
    );
    await type(newPassword!, 'Better123!');
    await type(confirm!, 'Better123!');
    await submit();
    const current = input('input[autocomplete="current-password"]');
    return shown(() => messageUnder(current));
  }

  it('is said in Korean under the field, never in the server’s English', async () => {
    wrongCurrentPassword();
    const message = await changePassword();
    expect(message).toBe('현재 비밀번호가 맞지 않습니다.');
    expect(container.textContent).not.toContain('incorrect');
  });

  it('is said in the English words of the shop when the reader chose English', async () => {
    await setLanguage('en');
    wrongCurrentPassword();
    expect(await changePassword()).toBe('The current password is not correct.');
  });
});

describe('a points charge above the most one charge may be', () => {
  it('is stopped before asking, with the formatted limit', async () => {
    const calls = serve(() => Response.json({}));
    await show(<PointsChargeForm />);
    const amount = input('input');
    await type(amount, '2000000');
    await submit();

    expect(await shown(() => messageUnder(amount))).toBe('한 번에 1,000,000원까지 충전할 수 있습니다');
    expect(calls.filter((url) => url.includes('/points/charges'))).toEqual([]);
  });

  it('names the limit the server refused it at, formatted, when the deployment set a lower one', async () => {
    serve(() =>
      problem(400, {
        type: 'urn:sagamart:problem:charge-above-max',
        detail: 'The amount must be at most 500000 won.',
        errors: [{ field: 'amount', message: 'The amount must be at most 500000 won.' }],
        maxCharge: 500_000,
      }),
    );
    await show(<PointsChargeForm />);
    const amount = input('input');
    await type(amount, '600000');
    await submit();

    expect(await shown(() => messageUnder(amount))).toBe('한 번에 500,000원까지 충전할 수 있습니다');
  });

  it('gets a generic Korean message for an English sentence it has no words for', async () => {
    serve(() =>
      problem(400, {
        type: 'urn:sagamart:problem:bad-request',
        errors: [{ field: 'amount', message: 'The amount is odd today.' }],
      }),
    );
    await show(<PointsChargeForm />);
    const amount = input('input');
    await type(amount, '5000');
    await submit();

    const message = await shown(() => messageUnder(amount));
    expect(message).toBe('입력한 값을 확인해 주세요.');
  });
});

describe('a coupon code', () => {
  it('is held to the length the server takes, with a Korean message', async () => {
    const calls = serve(() => Response.json({}));
    await show(<CouponClaimForm />);
    const code = input('input');
    expect(code.maxLength).toBe(COUPON_CODE_MAX_LENGTH);
    await type(code, 'A'.repeat(COUPON_CODE_MAX_LENGTH + 1));
    await submit();

    expect(await shown(() => messageUnder(code))).toBe(
      `쿠폰 코드는 ${COUPON_CODE_MAX_LENGTH}자 이내로 입력해 주세요`,
    );
    expect(calls).toEqual([]);
  });
});

describe('the words for a refused field', () => {
  const refusal = (message: string, type = 'urn:sagamart:problem:validation') =>
    new ApiError(400, { type, errors: [{ field: 'f', message }] });

  it('come from the shared rule or the schema keyword the server names', () => {
    expect(fieldErrorLabel(refusal(PASSWORD_RULE_MESSAGE), PASSWORD_RULE_MESSAGE)).toBe(
      '비밀번호는 8자 이상이며 영문, 숫자, 특수문자를 모두 포함해야 합니다.',
    );
    const tooLong = 'must NOT have more than 60 characters';
    expect(fieldErrorLabel(refusal(tooLong), tooLong)).toBe('60자 이내로 입력해 주세요.');
  });

  it('keep a server sentence already in the reader’s language, and never show English in Korean', () => {
    expect(fieldErrorLabel(refusal('반품 기간이 지났습니다.'), '반품 기간이 지났습니다.')).toBe(
      '반품 기간이 지났습니다.',
    );
    expect(fieldErrorLabel(refusal('Something new.'), 'Something new.')).not.toMatch(/[A-Za-z]/);
    expect(HANGUL.test(fieldErrorLabel(refusal('Something new.'), 'Something new.'))).toBe(true);
  });
});
