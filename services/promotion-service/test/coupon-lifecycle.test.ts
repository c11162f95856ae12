import type { UserCouponStatus } from '@sagamart/contracts';
import { describe, expect, it } from 'vitest';
import {
  type CouponStep,
  couponUnavailability,
  displayStatus,
  nextCouponStatus,
  reservationStep,
} from '../src/domain/coupon-lifecycle.ts';

const now = new Date('2025-06-15T12:00:00Z');
const day = 86_400_000;
const statuses: UserCouponStatus[] = ['ISSUED', 'RESERVED', 'USED', 'RESTORED'];

describe('user coupon state machine', () => {
  it('allows exactly the documented moves', () => {
    const allowed: Record<string, string> = {};
    for (const from of statuses) {
      for (const step of ['reserve', 'commit', 'release'] as CouponStep[]) {
        const move = nextCouponStatus(from, step);
        if (move.ok) allowed[`${from} ${step}`] = move.to;
      }
    }
    expect(allowed).toEqual({
      'ISSUED reserve': 'RESERVED',
      'RESTORED reserve': 'RESERVED',
      'RESERVED commit': 'USED',
      'RESERVED release': 'ISSUED',
      'USED release': 'RESTORED',
    });
  });

  it('explains a refused move', () => {
    expect(nextCouponStatus('USED', 'reserve')).toEqual({
      ok: false,
      message: 'a USED coupon cannot be reserved',
    });
  });

  it('shows a usable coupon past its validity as EXPIRED, and nothing else', () => {
    const past = new Date(now.getTime() - 1);
    expect(displayStatus('ISSUED', past, now)).toBe('EXPIRED');
    expect(displayStatus('RESTORED', past, now)).toBe('EXPIRED');
    expect(displayStatus('USED', past, now)).toBe('USED');
    expect(displayStatus('RESERVED', past, now)).toBe('RESERVED');
    expect(displayStatus('ISSUED', now, now)).toBe('ISSUED');
  });
});

describe('coupon availability', () => {
  const coupon = {
    status: 'ACTIVE' as const,
    validFrom: new Date(now.getTime() - day),
    validTo: new Date(now.getTime() + day),
    minOrderAmount: 10_000,
  };

  it('is available when held in a usable state, active and valid', () => {
    expect(couponUnavailability(coupon, { status: 'ISSUED', orderId: null }, now)).toBeUndefined();
    expect(couponUnavailability(coupon, { status: 'RESTORED', orderId: null }, now)).toBeUndefined();
  });

  it('names the reason it is not', () => {
    expect(couponUnavailability(coupon, undefined, now)).toBe('NOT_OWNED');
    expect(couponUnavailability(coupon, { status: 'USED', orderId: 'o1' }, now)).toBe('USED');
    expect(couponUnavailability(coupon, { status: 'RESERVED', orderId: 'o1' }, now)).toBe('RESERVED');
    expect(
      couponUnavailability({ ...coupon, status: 'INACTIVE' }, { status: 'ISSUED', orderId: null }, now),
    ).toBe('INACTIVE');
    expect(
      couponUnavailability(
        { ...coupon, validFrom: new Date(now.getTime() + 1) },
        { status: 'ISSUED', orderId: null },
        now,
      ),
    ).toBe('NOT_YET_VALID');
    expect(
      couponUnavailability(
        { ...coupon, validTo: new Date(now.getTime() - 1) },
        { status: 'ISSUED', orderId: null },
        now,
      ),
    ).toBe('EXPIRED');
    expect(
      couponUnavailability(coupon, { status: 'ISSUED', orderId: null }, now, { orderAmount: 9_999 }),
    ).toBe('MIN_ORDER_AMOUNT');
    expect(
      couponUnavailability(coupon, { status: 'ISSUED', orderId: null }, now, { orderAmount: 10_000 }),
    ).toBeUndefined();
  });

  it('stays available to the order that holds it', () => {
    expect(
      couponUnavailability(coupon, { status: 'RESERVED', orderId: 'o1' }, now, { orderId: 'o1' }),
    ).toBeUndefined();
    expect(couponUnavailability(coupon, { status: 'RESERVED', orderId: 'o1' }, now, { orderId: 'o2' })).toBe(
      'RESERVED',
    );
  });
});

describe('order reservation steps', () => {
  it('reserves once; any repeat answers with the reservation as it is', () => {
    expect(reservationStep(undefined, 'reserve')).toEqual({
      kind: 'apply',
      next: 'RESERVED',
      couponStep: 'reserve',
    });
    for (const state of ['RESERVED', 'COMMITTED', 'RELEASED'] as const) {
      expect(reservationStep(state, 'reserve')).toEqual({ kind: 'repeat' });
    }
  });

  it('commits a reservation, repeats a commit, refuses a released one and a missing one', () => {
    expect(reservationStep('RESERVED', 'commit')).toEqual({
      kind: 'apply',
      next: 'COMMITTED',
      couponStep: 'commit',
    });
    expect(reservationStep('COMMITTED', 'commit')).toEqual({ kind: 'repeat' });
    expect(reservationStep('RELEASED', 'commit').kind).toBe('conflict');
    expect(reservationStep(undefined, 'commit')).toEqual({ kind: 'missing' });
  });

  it('releases from any state and leaves a tombstone when nothing was reserved', () => {
    expect(reservationStep('RESERVED', 'release')).toEqual({
      kind: 'apply',
      next: 'RELEASED',
      couponStep: 'release',
    });
    expect(reservationStep('COMMITTED', 'release')).toEqual({
      kind: 'apply',
      next: 'RELEASED',
      couponStep: 'release',
    });
    expect(reservationStep('RELEASED', 'release')).toEqual({ kind: 'repeat' });
    expect(reservationStep(undefined, 'release')).toEqual({
      kind: 'apply',
      next: 'RELEASED',
      couponStep: null,
    });
  });
});
