import type { OrderCancelReason } from '@sagamart/contracts';
import {
  type SAGA_LOG_ACTIONS,
  type SAGA_LOG_STEPS,
  SAGA_PHASES,
  STEP_NAMES,
} from '@sagamart/contracts/http/orders';

/**
 * The `placeOrder` workflow (Medusa style): a list of steps, each with its invoke (reserve), its
 * compensation (release) and its commit (on payment). This module is the workflow's pure logic: which
 * steps an order needs, what the saga does next, and where each outcome leads. The participant calls
 * live in the app layer (src/app/saga-steps.ts), the persistence in the saga runner.
 */
export { STEP_NAMES };
export type StepName = (typeof STEP_NAMES)[number];
/** What the saga's log records: the steps' calls, and the payment's outcome and refund. */
export type SagaLogStep = (typeof SAGA_LOG_STEPS)[number];
export type SagaLogAction = (typeof SAGA_LOG_ACTIONS)[number];

/** What the workflow needs to know about an order. */
export interface SagaOrder {
  couponId: number | null;
  pointsUsed: number;
  payableAmount: number;
}

export interface StepDefinition {
  name: StepName;
  /** The order's cancel reason when the participant refuses the reservation (a business failure). */
  refusal: OrderCancelReason;
  appliesTo(order: SagaOrder): boolean;
}

export const PLACE_ORDER_STEPS: readonly StepDefinition[] = [
  { name: 'stock', refusal: 'OUT_OF_STOCK', appliesTo: () => true },
  { name: 'coupon', refusal: 'COUPON_UNAVAILABLE', appliesTo: (o) => o.couponId !== null },
  { name: 'points', refusal: 'POINTS_INSUFFICIENT', appliesTo: (o) => o.pointsUsed > 0 },
];

/**
 * RESERVING → AWAITING_PAYMENT → COMMITTING → COMPLETED; COMPENSATING → COMPENSATED on any cancel.
 * RESERVING, COMMITTING and COMPENSATING are transient: the runner works on them (and the recovery
 * worker resumes them); AWAITING_PAYMENT waits for an event, a cancel or the unpaid timeout.
 */
export { SAGA_PHASES };
export type SagaPhase = (typeof SAGA_PHASES)[number];
export const TRANSIENT_PHASES: readonly SagaPhase[] = ['RESERVING', 'COMMITTING', 'COMPENSATING'];
/** Nothing more happens to a saga in these phases (unless a paid order is cancelled later). */
export const FINAL_PHASES: readonly SagaPhase[] = ['COMPLETED', 'COMPENSATED'];

export interface SagaState {
  phase: SagaPhase;
  /** The order's steps, in workflow order. */
  steps: StepName[];
  /** Index of the current step: into `steps` (RESERVING, COMMITTING) or `compensations`. */
  cursor: number;
  /** Steps to compensate, in the order to do it (reverse of the workflow). */
  compensations: StepName[];
}

export type SagaAction = { kind: 'reserve' | 'commit' | 'compensate'; step: StepName };

export function stepDefinition(name: StepName): StepDefinition {
  return PLACE_ORDER_STEPS.find((s) => s.name === name)!;
}

export function startSaga(order: SagaOrder): SagaState {
  return {
    phase: 'RESERVING',
    steps: PLACE_ORDER_STEPS.filter((s) => s.appliesTo(order)).map((s) => s.name),
    cursor: 0,
    compensations: [],
  };
}

export function isTransient(phase: SagaPhase): boolean {
  return TRANSIENT_PHASES.includes(phase);
}

/** The participant call to make now, or undefined when the saga waits or is over. */
export function currentAction(state: SagaState): SagaAction | undefined {
  switch (state.phase) {
    case 'RESERVING': {
      const step = state.steps[state.cursor];
      return step ? { kind: 'reserve', step } : undefined;
    }
    case 'COMMITTING': {
      const step = state.steps[state.cursor];
      return step ? { kind: 'commit', step } : undefined;
    }
    case 'COMPENSATING': {
      const step = state.compensations[state.cursor];
      return step ? { kind: 'compensate', step } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The state after the current action succeeded. Finishing RESERVING waits for payment, or commits
 * at once when nothing is left to pay; finishing COMMITTING completes; finishing COMPENSATING ends it.
 */
export function afterSuccess(state: SagaState, order: Pick<SagaOrder, 'payableAmount'>): SagaState {
  const next = { ...state, cursor: state.cursor + 1 };
  const list = state.phase === 'COMPENSATING' ? state.compensations : state.steps;
  if (next.cursor < list.length) return next;
  return settle(next, order);
}

/** Moves past a phase whose step list is used up (also for a saga with no steps in it). */
export function settle(state: SagaState, order: Pick<SagaOrder, 'payableAmount'>): SagaState {
  const list = state.phase === 'COMPENSATING' ? state.compensations : state.steps;
  if (state.cursor < list.length) return state;
  switch (state.phase) {
    case 'RESERVING':
      return order.payableAmount === 0
        ? settle({ ...state, phase: 'COMMITTING', cursor: 0 }, order)
        : { ...state, phase: 'AWAITING_PAYMENT', cursor: 0 };
    case 'COMMITTING':
      return { ...state, phase: 'COMPLETED', cursor: 0 };
    case 'COMPENSATING':
      return { ...state, phase: 'COMPENSATED', cursor: 0 };
    default:
      return state;
  }
}

/**
 * A participant refused the current reservation: compensate the steps before it, in reverse, and
 * cancel with the step's reason. The refused step itself reserved nothing.
 */
export function afterRefusal(state: SagaState): { state: SagaState; reason: OrderCancelReason } {
  if (state.phase !== 'RESERVING') throw new Error(`Only a reservation can be refused, not ${state.phase}`);
  const refused = state.steps[state.cursor]!;
  const compensations = state.steps.slice(0, state.cursor).reverse();
  const next: SagaState = { ...state, phase: 'COMPENSATING', cursor: 0, compensations };
  return { state: settle(next, { payableAmount: 0 }), reason: stepDefinition(refused).refusal };
}

/** The payment was approved: commit every reservation. Undefined when the saga is not waiting for it. */
export function afterPaymentApproved(state: SagaState): SagaState | undefined {
  if (state.phase !== 'AWAITING_PAYMENT') return undefined;
  return { ...state, phase: 'COMMITTING', cursor: 0 };
}

/**
 * Cancelling: compensate every step that may have taken effect, in reverse. While reserving, that
 * includes the current step (its call may be in flight; releases are idempotent and leave a
 * tombstone when nothing was reserved). Undefined when the saga is already cancelled.
 */
export function afterCancel(state: SagaState): SagaState | undefined {
  let touched: StepName[];
  switch (state.phase) {
    case 'RESERVING':
      touched = state.steps.slice(0, state.cursor + 1);
      break;
    case 'AWAITING_PAYMENT':
    case 'COMMITTING':
    case 'COMPLETED':
      touched = state.steps;
      break;
    default:
      return undefined;
  }
  return settle(
    { ...state, phase: 'COMPENSATING', cursor: 0, compensations: [...touched].reverse() },
    { payableAmount: 0 },
  );
}

/** Delay before retrying a transient failure: exponential, capped, with jitter in [½, 1]. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
