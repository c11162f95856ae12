import { describe, expect, it } from 'vitest';
import { advanceTo, dueEvents, newTrackingNumber, trackingEvent } from '../src/domain/waybill.ts';

const start = new Date('2026-01-01T00:00:00Z');
const accepted = (stepMs = 1_000) => ({
  status: 'ACCEPTED' as const,
  events: [trackingEvent(0, 'ACCEPTED', start, false)],
  pickup: false,
  stepMs,
});
const at = (ms: number) => new Date(start.getTime() + ms);

describe('a waybill clock', () => {
  it('makes one step per stepMs after the last event and stops at DELIVERED', () => {
    expect(dueEvents(accepted(), at(999))).toEqual([]);
    expect(dueEvents(accepted(), at(2_500)).map((e) => [e.seq, e.kind, e.time])).toEqual([
      [1, 'PICKED_UP', at(1_000).toISOString()],
      [2, 'IN_TRANSIT', at(2_000).toISOString()],
    ]);
    expect(
      dueEvents(accepted(), at(60_000))
        .map((e) => e.kind)
        .at(-1),
    ).toBe('DELIVERED');
    expect(dueEvents(accepted(), at(60_000))).toHaveLength(5);
    expect(dueEvents(accepted(0), at(60_000))).toEqual([]);
  });

  it('advances by test control forward only, and cancels only an ACCEPTED waybill', () => {
    const moved = advanceTo(accepted(), 'AT_DESTINATION', at(5));
    expect(moved.ok && moved.events.map((e) => e.kind)).toEqual([
      'PICKED_UP',
      'IN_TRANSIT',
      'AT_DESTINATION',
    ]);
    expect(advanceTo(accepted(), 'CANCELLED', at(5))).toMatchObject({ ok: true });
    const pickedUp = { ...accepted(), status: 'PICKED_UP' as const };
    expect(advanceTo(pickedUp, 'CANCELLED', at(5))).toMatchObject({ ok: false, code: 'ALREADY_PICKED_UP' });
    expect(advanceTo(pickedUp, 'ACCEPTED', at(5))).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
  });

  it('numbers waybills with 12 digits', () => {
    expect(newTrackingNumber(() => 0)).toBe('100000000000');
    expect(newTrackingNumber((b) => b - 1)).toBe('999999999999');
  });
});
