import { COURIER_PROGRESSION, type CourierStatus } from '@sagamart/contracts';
import type { CourierTrackingEvent } from '@sagamart/contracts/http/courier';

// A waybill's life at the courier: ACCEPTED → PICKED_UP → IN_TRANSIT → AT_DESTINATION →
// OUT_FOR_DELIVERY → DELIVERED, or CANCELLED while still ACCEPTED. Each waybill moves one step every
// stepMs of its own clock (kept on the waybill, so a config change does not move parcels in flight);
// the steps are worked out when someone looks, so no background job is needed.

export const PROGRESSION: readonly CourierStatus[] = COURIER_PROGRESSION;

export const isFinal = (status: CourierStatus) => status === 'DELIVERED' || status === 'CANCELLED';

/** Where and what the courier says for each status (a delivery, or a return pickup to the shop). */
function describe(status: CourierStatus, pickup: boolean): { where: string; remark: string } {
  switch (status) {
    case 'ACCEPTED':
      return {
        where: '사가택배 접수센터',
        remark: pickup ? '반품 회수가 접수되었습니다' : '송장이 접수되었습니다',
      };
    case 'PICKED_UP':
      return { where: pickup ? '고객 주소지' : '사가마트 물류센터', remark: '상품을 인수했습니다' };
    case 'IN_TRANSIT':
      return { where: '옥천 허브터미널', remark: '간선 상차되었습니다' };
    case 'AT_DESTINATION':
      return { where: pickup ? '이천 터미널' : '도착지 터미널', remark: '배송지 터미널에 도착했습니다' };
    case 'OUT_FOR_DELIVERY':
      return { where: pickup ? '이천 터미널' : '배송 영업소', remark: '배송 출발했습니다' };
    case 'DELIVERED':
      return pickup
        ? { where: '사가마트 물류센터', remark: '반품 상품이 입고되었습니다' }
        : { where: '고객 주소지', remark: '배송 완료되었습니다' };
    case 'CANCELLED':
      return { where: '사가택배 접수센터', remark: '송장이 취소되었습니다' };
  }
}

export function trackingEvent(
  seq: number,
  status: CourierStatus,
  at: Date,
  pickup: boolean,
): CourierTrackingEvent {
  return { seq, time: at.toISOString(), kind: status, ...describe(status, pickup) };
}

export interface WaybillClock {
  status: CourierStatus;
  events: CourierTrackingEvent[];
  pickup: boolean;
  stepMs: number;
}

/**
 * The events the waybill's own clock has produced by `now`: one step per stepMs after the last
 * event, each stamped at the moment it happened. Empty when nothing is due (or the waybill is final).
 */
export function dueEvents(waybill: WaybillClock, now: Date): CourierTrackingEvent[] {
  if (isFinal(waybill.status) || waybill.stepMs <= 0) return [];
  const last = waybill.events.at(-1);
  if (!last) return [];
  const from = PROGRESSION.indexOf(waybill.status);
  const steps = Math.floor((now.getTime() - Date.parse(last.time)) / waybill.stepMs);
  const out: CourierTrackingEvent[] = [];
  for (let i = 1; i <= steps && from + i < PROGRESSION.length; i++) {
    const at = new Date(Date.parse(last.time) + i * waybill.stepMs);
    out.push(trackingEvent(last.seq + i, PROGRESSION[from + i]!, at, waybill.pickup));
  }
  return out;
}

export type AdvanceVerdict =
  | { ok: true; events: CourierTrackingEvent[] }
  | { ok: false; code: 'INVALID_TRANSITION' | 'ALREADY_PICKED_UP'; message: string };

/** Test control: every step from the current status up to `to`, at `now`; CANCELLED only from ACCEPTED. */
export function advanceTo(waybill: WaybillClock, to: CourierStatus, now: Date): AdvanceVerdict {
  const last = waybill.events.at(-1);
  const seq = (last?.seq ?? -1) + 1;
  if (to === 'CANCELLED') {
    if (waybill.status === 'CANCELLED') return { ok: true, events: [] };
    if (waybill.status !== 'ACCEPTED') {
      return {
        ok: false,
        code: 'ALREADY_PICKED_UP',
        message: `The parcel is already ${waybill.status}; only an ACCEPTED waybill can be cancelled`,
      };
    }
    return { ok: true, events: [trackingEvent(seq, 'CANCELLED', now, waybill.pickup)] };
  }
  const from = PROGRESSION.indexOf(waybill.status);
  const target = PROGRESSION.indexOf(to);
  if (waybill.status === 'CANCELLED' || target < from) {
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      message: `A ${waybill.status} waybill cannot move to ${to}`,
    };
  }
  const events: CourierTrackingEvent[] = [];
  for (let i = from + 1; i <= target; i++) {
    events.push(trackingEvent(seq + events.length, PROGRESSION[i]!, now, waybill.pickup));
  }
  return { ok: true, events };
}

/** 12 digits, the way Korean couriers number waybills; `pick(bound)` is a random integer below bound. */
export function newTrackingNumber(pick: (bound: number) => number): string {
  let digits = String(1 + pick(9));
  for (let i = 1; i < 12; i++) digits += String(pick(10));
  return digits;
}
