import { COUPON_UNAVAILABLE, type CouponUnavailableReason } from '@sagamart/contracts';
import { Problem } from '@sagamart/kit';
import { UNAVAILABLE_MESSAGES } from '../domain/coupon-lifecycle.ts';
import type { RuleProblem } from '../domain/discount-rules.ts';

/** 409 COUPON_UNAVAILABLE with the reason: the saga treats it as a business failure of its coupon step. */
export function couponUnavailable(reason: CouponUnavailableReason): Problem {
  return new Problem(409, UNAVAILABLE_MESSAGES[reason], { code: COUPON_UNAVAILABLE, extensions: { reason } });
}

/** 400 listing the fields that break a rule. */
export function invalidFields(problems: RuleProblem[]): Problem {
  return new Problem(400, problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
    code: 'validation',
    errors: problems,
  });
}
