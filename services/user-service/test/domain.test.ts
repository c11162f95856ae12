import { describe, expect, it } from 'vitest';
import { balanceAfter, chargeProblem, InsufficientPoints } from '../src/domain/points.ts';
import {
  diffAccess,
  diffProfile,
  normalizeEmail,
  normalizePhone,
  selfChangeViolation,
} from '../src/domain/user.ts';

describe('user rules', () => {
  const user = {
    name: 'Kim',
    phone: '010-1234-5678',
    role: 'USER',
    status: 'ACTIVE',
    grade: 'NORMAL',
  } as const;

  it('normalizes email and phone', () => {
    expect(normalizeEmail('  Kim@Example.COM ')).toBe('kim@example.com');
    expect(normalizePhone('01012345678')).toBe('010-1234-5678');
    expect(normalizePhone('010-1234-5678')).toBe('010-1234-5678');
    expect(normalizePhone('0111234567')).toBe('011-123-4567');
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone(null)).toBeNull();
  });

  it('reports only the changes that really happen', () => {
    expect(diffProfile(user, { name: ' Kim ', phone: '01012345678' }).changes).toEqual([]);
    expect(diffProfile(user, { phone: null }).changes).toEqual(['profile']);
    expect(diffAccess(user, { role: 'ADMIN', status: 'SUSPENDED', grade: 'VIP' }).changes).toEqual([
      'role',
      'status',
      'grade',
    ]);
    expect(diffAccess(user, { role: 'USER', grade: 'NORMAL' }).changes).toEqual([]);
  });

  it('reads only its own fields: a profile edit makes no role or status change, nor an admin edit a profile one', () => {
    const profileBody = { name: 'Kim', role: 'ADMIN', status: 'SUSPENDED', grade: 'VIP' } as const;
    expect(diffProfile(user, profileBody).changes).toEqual([]);
    const accessBody = { grade: 'VIP', name: 'Lee', phone: null } as const;
    expect(diffAccess(user, accessBody)).toEqual({
      next: { role: 'USER', status: 'ACTIVE', grade: 'VIP' },
      changes: ['grade'],
    });
  });

  it('keeps an admin from changing their own role or status', () => {
    expect(selfChangeViolation('a', 'a', ['role'])).toBeDefined();
    expect(selfChangeViolation('a', 'a', ['status'])).toBeDefined();
    expect(selfChangeViolation('a', 'a', ['grade'])).toBeUndefined();
    expect(selfChangeViolation('a', 'b', ['role', 'status'])).toBeUndefined();
  });
});

describe('points ledger rules', () => {
  it('never lets the balance go negative', () => {
    expect(balanceAfter(100, 50)).toBe(150);
    expect(balanceAfter(100, -100)).toBe(0);
    expect(() => balanceAfter(100, -101)).toThrow(InsufficientPoints);
  });

  it('refuses empty or fractional movements', () => {
    expect(() => balanceAfter(100, 0)).toThrow(RangeError);
    expect(() => balanceAfter(100, 1.5)).toThrow(RangeError);
  });

  it('accepts top-ups from 1 up to the maximum', () => {
    expect(chargeProblem(1, 1000)).toBeUndefined();
    expect(chargeProblem(1000, 1000)).toBeUndefined();
    expect(chargeProblem(1001, 1000)).toMatch(/at most 1000/);
    expect(chargeProblem(0, 1000)).toMatch(/positive/);
    expect(chargeProblem(2.5, 1000)).toMatch(/positive/);
  });
});
