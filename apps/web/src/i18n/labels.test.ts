import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.ts';
import { PRODUCT_STATUSES } from '../catalog/catalog-api.ts';
import { MY_COUPON_STATUSES } from '../coupons/coupons-api.ts';
import { PROMOTION_STATUSES } from '../coupons/discount.ts';
import { formatWon } from '../lib/format.ts';
import {
  CLAIM_REASONS,
  CLAIM_STATUSES,
  SHIPMENT_COURIER_STATUSES,
  SHIPMENT_STATUSES,
} from '../orders/after-sale-api.ts';
import { ORDER_CANCEL_REASONS, ORDER_STATUSES } from '../orders/orders-api.ts';
import { PAYMENT_STATUSES } from '../payments/payments-api.ts';
import { ROLES, USER_GRADES, USER_STATUSES } from '../users/user-enums.ts';
import { en } from './en.ts';
import { i18n, setLanguage } from './i18n.ts';
import { ko } from './ko.ts';
import {
  cancelReasonLabel,
  errorTitle,
  paymentFailureLabel,
  paymentMethodLabel,
  pointMovementLabel,
  pointReasonLabel,
  timelineLabel,
} from './labels.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const CODE = /\b[A-Z]+_[A-Z_]+\b/;

afterEach(() => setLanguage('ko'));

describe('labels', () => {
  it('starts in Korean', () => {
    expect(i18n.language).toBe('ko');
    expect(i18n.t('status.order.PAYMENT_PENDING')).toBe('결제 대기');
  });

  it('labels every member of every server enum a shopper can see, in both languages', () => {
    const tables = [
      [ORDER_STATUSES, 'order'],
      [PAYMENT_STATUSES, 'payment'],
      [MY_COUPON_STATUSES, 'coupon'],
      [PROMOTION_STATUSES, 'promotion'],
      [USER_STATUSES, 'user'],
      [USER_GRADES, 'grade'],
      [ROLES, 'role'],
      [PRODUCT_STATUSES, 'product'],
      [SHIPMENT_STATUSES, 'shipment'],
      [SHIPMENT_COURIER_STATUSES, 'courier'],
      [CLAIM_STATUSES, 'claim'],
      [CLAIM_REASONS, 'claimReason'],
    ] as const;
    for (const [members, table] of tables) {
      for (const member of members) {
        for (const language of [ko, en]) {
          const label = (language.status[table] as Record<string, string>)[member];
          expect(label, `${table}.${member}`).toBeTruthy();
          expect(label).not.toMatch(CODE);
        }
      }
    }
    for (const reason of ORDER_CANCEL_REASONS) {
      expect(cancelReasonLabel(reason)).not.toContain(reason);
    }
  });

  it('gives an unknown code a generic label instead of the code', () => {
    expect(cancelReasonLabel('SOMETHING_NEW')).toBe(ko.cancelReason.unknown);
    expect(timelineLabel('SHIPMENT_DISPATCHED_LATE')).toBe(ko.timeline.other);
    expect(paymentFailureLabel('NEW_PG_CODE')).toBe(ko.paymentFailure.unknown);
    expect(paymentFailureLabel('PAY_PROCESS_CANCELED')).toBe('결제를 취소하셨습니다.');
    expect(paymentFailureLabel('AMOUNT_MISMATCH')).not.toMatch(CODE);
    expect(pointMovementLabel('COMMIT')).toBe('사용 확정');
    expect(pointMovementLabel('MYSTERY')).toBe('기타');
  });

  it('never shows an order id from a points ledger reason', () => {
    const reason = pointReasonLabel('Order 3f1c2a9e-4b7d-4c1e-9a2b-8d7e6f5a4b3c');
    expect(reason).toBe('주문');
    expect(reason).not.toMatch(UUID);
    expect(pointReasonLabel('Charge PC-20261204-0001')).toBe('포인트 충전 PC-20261204-0001');
    expect(pointReasonLabel('Refund of charge PC-1')).toBe('충전 환불 PC-1');
    expect(pointReasonLabel('something internal')).toBe('—');
    // What user-service writes for an order's points: the number the shopper knows, never the id.
    expect(pointReasonLabel('Used for order ORD-20261207-AB12CD34')).toBe('주문 ORD-20261207-AB12CD34');
    expect(pointReasonLabel('Returned from order ORD-20261207-AB12CD34')).toBe('주문 ORD-20261207-AB12CD34');
    expect(pointReasonLabel('Purchase confirmed: order ORD-20261207-AB12CD34')).toBe(
      '주문 ORD-20261207-AB12CD34',
    );
    const released = pointReasonLabel('Returned: order 3f1c2a9e-4b7d-4c1e-9a2b-8d7e6f5a4b3c cancelled');
    expect(released).toBe('주문');
    expect(released).not.toMatch(UUID);
  });

  it('titles errors from the problem code, then the status, never with the raw detail', () => {
    const outOfStock = new ApiError(409, {
      type: 'urn:sagamart:problem:OUT_OF_STOCK',
      detail: 'sku 12 short',
    });
    expect(errorTitle(outOfStock)).toBe('재고가 부족합니다.');
    expect(errorTitle(new ApiError(400, { detail: 'at most 1000000 won' }))).toBe(ko.error.invalid);
    expect(errorTitle(new ApiError(503, {}))).toBe(ko.error.server);
    // shipping-service's codes are kebab-case.
    const claimOpen = new ApiError(409, { type: 'urn:sagamart:problem:claim-in-progress', detail: '…' });
    expect(errorTitle(claimOpen)).toBe(ko.error.code['claim-in-progress']);
  });

  it('says why an admin’s change was refused, in both languages, for every code an admin route sends', async () => {
    // Grepped from the services' admin routes (problem `code`s; generic ones fall back to the status).
    const adminRefusals = [
      // product-service: products, SKUs, images, keywords, categories, stock adjustments
      'product-code-taken',
      'sku-code-taken',
      'product-deleted',
      'stale-version',
      'category-not-leaf',
      'image-in-use',
      'unknown-image',
      'image-too-large',
      'image-too-small',
      'image-type',
      'image-body',
      'keyword-exists',
      'category-name-taken',
      'category-has-children',
      'category-has-products',
      'category-too-deep',
      'category-cycle',
      'invalid-quantity',
      'insufficient-stock',
      'insufficient-held',
      'stock-limit',
      // promotion-service: coupons and discount policies
      'COUPON_CODE_TAKEN',
      'COUPON_IN_USE',
      'COUPON_ISSUED',
      'TARGET_NOT_FOUND',
      // order-service and shipping-service: an admin's cancel, claim decisions
      'not-cancellable',
      'picked-up',
      'shipping-unavailable',
      'claim-decided',
      'exchange-out-of-stock',
      'courier-rejected',
      // user-service, chat-service (agent console, canned answers), catalog-service
      'self-change',
      'short-code-taken',
      'not-an-agent',
      'rebuild-running',
    ];
    for (const code of adminRefusals) {
      for (const language of [ko, en]) {
        const words = (language.error.code as Record<string, string>)[code];
        expect(words, code).toBeTruthy();
        expect(words).not.toMatch(CODE);
      }
      const refused = new ApiError(409, { type: `urn:sagamart:problem:${code}`, detail: 'in English' });
      expect(errorTitle(refused), code).toBe((ko.error.code as Record<string, string>)[code]);
    }
    await setLanguage('en');
    const issued = new ApiError(409, { type: 'urn:sagamart:problem:COUPON_ISSUED', detail: '3 coupons…' });
    expect(errorTitle(issued)).toContain('its end can only move later');
  });

  it('says why a cancel or a coupon was refused in the reader’s language, not as a server code', async () => {
    const pickedUp = new ApiError(409, { type: 'urn:sagamart:problem:picked-up', detail: '택배사가…' });
    const runOut = new ApiError(409, { type: 'urn:sagamart:problem:COUPON_EXHAUSTED', detail: 'exhausted' });
    expect(errorTitle(pickedUp)).toContain('반품을 신청해 주세요');
    await setLanguage('en');
    expect(errorTitle(pickedUp)).toBe(
      'The courier already has the parcel, so the order cannot be cancelled: request a return once it is delivered.',
    );
    expect(errorTitle(runOut)).toBe('This coupon has run out.');
    expect(paymentMethodLabel('카드')).toBe('Card');
    expect(paymentMethodLabel('포인트결제')).toBe('포인트결제');
  });

  it('switches to English, and money with it', async () => {
    await setLanguage('en');
    expect(i18n.t('status.order.PAYMENT_PENDING')).toBe('Awaiting payment');
    expect(i18n.t('cart.nowPrice', { price: formatWon(78000) })).toBe('Now ₩78,000');
    await setLanguage('ko');
    expect(i18n.t('cart.nowPrice', { price: formatWon(78000) })).toBe('현재 78,000원');
  });
});

describe('the English copy', () => {
  /** Every string of a table, by its dotted key. */
  const strings = (table: object, prefix = ''): [string, string][] =>
    Object.entries(table).flatMap(([key, value]) =>
      typeof value === 'string'
        ? [[`${prefix}${key}`, value] as [string, string]]
        : strings(value as object, `${prefix}${key}.`),
    );

  it('names the store as the Korean does (Parkshinsa Mall), sagamart only as the platform and company', () => {
    const PLATFORM_AND_COMPANY = new Set(['footer.about', 'footer.company']);
    const naming = strings(en).filter(
      ([key, text]) => /sagamart/i.test(text) && !PLATFORM_AND_COMPANY.has(key),
    );
    expect(naming).toEqual([]);
    for (const key of ['nav.home', 'checkout.confirmNote', 'auth.newHere'] as const) {
      const [section, name] = key.split('.') as [keyof typeof ko, string];
      expect((ko[section] as Record<string, string>)[name], key).toContain(ko.brand.name);
      expect((en[section] as Record<string, string>)[name], key).toContain(en.brand.name);
    }
  });

  it('calls the points a return gives back a return refund, as the Korean 반품 환급 does', async () => {
    await setLanguage('en');
    expect(pointMovementLabel('RETURN')).toBe('Return refund');
  });
});
