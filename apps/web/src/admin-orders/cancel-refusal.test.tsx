import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.ts';
import { setLanguage } from '../i18n/i18n.ts';
import { ApiErrorAlert } from '../ui/ApiErrorAlert.tsx';
import { adminCancelRefusal } from './cancel-refusal.ts';

afterEach(() => setLanguage('ko'));

// order-service's refusals, as it sends them (its details are written for the shopper).
const pickedUp = new ApiError(409, {
  type: 'urn:sagamart:problem:picked-up',
  detail: '택배사가 이미 상품을 가져가 주문을 취소할 수 없습니다. 배송 완료 후 반품을 신청해 주세요.',
});
const notCancellable = new ApiError(409, {
  type: 'urn:sagamart:problem:not-cancellable',
  detail: 'A DELIVERED order cannot be cancelled',
});
const shippingUnavailable = new ApiError(503, {
  type: 'urn:sagamart:problem:shipping-unavailable',
  detail: '배송 상태를 확인하지 못해 지금은 주문을 취소할 수 없습니다. 잠시 후 다시 시도해 주세요.',
});

/** The alert the admin's order page shows under a refused cancel, as text. */
const cancelAlert = (error: ApiError) =>
  renderToStaticMarkup(
    <MantineProvider>
      <ApiErrorAlert error={error} title="주문을 취소하지 못했습니다" message={adminCancelRefusal(error)} />
    </MantineProvider>,
  );

describe('an admin’s refused cancel', () => {
  it('says what happened and what the admin can do, not what the shopper should do', () => {
    const shown = cancelAlert(pickedUp);
    expect(shown).toContain('택배사가 이미 상품을 가져가');
    expect(shown).toContain('고객이 반품을 신청하면 반품 메뉴에서 승인');
    expect(shown).not.toContain('반품을 신청해 주세요');
    expect(cancelAlert(notCancellable)).toContain('현재 상태를 확인해 주세요');
    const unavailable = cancelAlert(shippingUnavailable);
    expect(unavailable).toContain('잠시 후 주문 상태를 확인하고');
    expect(unavailable).not.toContain(shippingUnavailable.detail);
  });

  it('says it in English too', async () => {
    await setLanguage('en');
    expect(adminCancelRefusal(pickedUp)).toBe(
      'The courier has already picked up the parcel, so the order can no longer be cancelled. Once it is delivered the customer can request a return, which you approve under Returns to refund them.',
    );
    expect(adminCancelRefusal(notCancellable)).toMatch(
      /^The order cannot be cancelled in its current status/,
    );
    expect(adminCancelRefusal(shippingUnavailable)).toMatch(/^Shipping did not answer/);
    expect(cancelAlert(pickedUp)).not.toContain('request a return once it is delivered');
  });

  it('leaves any other failure to the usual error words', () => {
    expect(adminCancelRefusal(new ApiError(404, { type: 'urn:sagamart:problem:not-found' }))).toBeUndefined();
    expect(adminCancelRefusal(new Error('boom'))).toBeUndefined();
    expect(cancelAlert(new ApiError(500, {}))).toContain('서버');
  });
});
