import type { PointChargeStatus } from '@sagamart/contracts';

// A points charge (포인트 충전) moves with its payment's events and the shopper's refund:
//
//   PENDING ──approved──▶ PAID ──refund──▶ REFUND_REQUESTED ──refunded──▶ REFUNDED
//      ├──────failed───▶ FAILED
//      ├──────expired──▶ EXPIRED   (not paid within points.chargeTimeoutSeconds)
//      └──────cancel───▶ CANCELLED (the shopper closed the PG window unpaid)
//
// Points are credited on the move to PAID and debited on the move to REFUND_REQUESTED, each exactly
// once (the ledger also has at most one CHARGE and one REFUND row per charge). Events may come more
// than once and late: anything that is not a move from the expected state changes nothing, so an
// approval that arrives after the charge expired or was cancelled credits nothing (payment-service
// refunds it).

export type ChargeTrigger = 'approved' | 'failed' | 'expired' | 'cancel' | 'refund' | 'refunded';

const MOVES: Record<ChargeTrigger, { from: PointChargeStatus; to: PointChargeStatus }> = {
  approved: { from: 'PENDING', to: 'PAID' },
  failed: { from: 'PENDING', to: 'FAILED' },
  expired: { from: 'PENDING', to: 'EXPIRED' },
  cancel: { from: 'PENDING', to: 'CANCELLED' },
  refund: { from: 'PAID', to: 'REFUND_REQUESTED' },
  refunded: { from: 'REFUND_REQUESTED', to: 'REFUNDED' },
};

/** The status after `trigger`, or undefined when the charge is not where the trigger applies. */
export function chargeMove(status: PointChargeStatus, trigger: ChargeTrigger): PointChargeStatus | undefined {
  const move = MOVES[trigger];
  return status === move.from ? move.to : undefined;
}

/**
 * Why a charge cannot be refunded now, or undefined when it can: it must be PAID and its points
 * unspent, all of them: the account's paid-for points (see domain/points.ts) still cover the charge.
 * The balance alone does not say so: earned points (구매확정) would then turn into money at the PG.
 */
export function refundProblem(
  status: PointChargeStatus,
  amount: number,
  cashBacked: number,
): string | undefined {
  if (status === 'REFUND_REQUESTED' || status === 'REFUNDED') return 'This charge is already refunded.';
  if (status !== 'PAID') return 'Only a paid charge can be refunded.';
  if (cashBacked < amount) return 'Points of this charge have been spent; earned points cannot be refunded.';
  return undefined;
}

/** The PG window's label. */
export function chargeOrderName(amount: number): string {
  return `포인트 ${amount.toLocaleString('ko-KR')}원 충전`;
}
