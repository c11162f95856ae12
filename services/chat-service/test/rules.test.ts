import { describe, expect, it } from 'vitest';
import { estimateWaitSeconds, planAssignments } from '../src/domain/assignment.ts';
import { canRead, checkText, mayAssign, nextReadMarker, planMessage } from '../src/domain/conversation.ts';
import { transcriptLine } from '../src/domain/transcript.ts';

describe('automatic assignment', () => {
  it('gives each queued conversation, oldest first, to the least busy agent', () => {
    const plan = planAssignments(
      ['c1', 'c2', 'c3'],
      [
        { agentId: 'busy', open: 3 },
        { agentId: 'idle', open: 0 },
        { agentId: 'some', open: 1 },
      ],
      5,
    );
    expect(plan).toEqual([
      { conversationId: 'c1', agentId: 'idle' },
      { conversationId: 'c2', agentId: 'idle' },
      { conversationId: 'c3', agentId: 'some' },
    ]);
  });

  it('never goes over the cap, and leaves the rest queued', () => {
    const plan = planAssignments(
      ['c1', 'c2', 'c3', 'c4'],
      [
        { agentId: 'a', open: 1 },
        { agentId: 'b', open: 2 },
      ],
      2,
    );
    expect(plan).toEqual([{ conversationId: 'c1', agentId: 'a' }]);
    expect(planAssignments(['c1'], [], 5)).toEqual([]);
    expect(planAssignments(['c1'], [{ agentId: 'a', open: 7 }], 5)).toEqual([]);
  });

  it('breaks ties by the order agents are listed in (the one assigned longest ago first)', () => {
    const plan = planAssignments(
      ['c1', 'c2'],
      [
        { agentId: 'x', open: 0 },
        { agentId: 'y', open: 0 },
      ],
      5,
    );
    expect(plan.map((p) => p.agentId)).toEqual(['x', 'y']);
  });

  it('estimates the wait from the position, the agents online, the cap and the handling time', () => {
    expect(estimateWaitSeconds(1, 0, 5, 300)).toBeNull();
    expect(estimateWaitSeconds(1, 1, 5, 300)).toBe(60);
    expect(estimateWaitSeconds(10, 2, 5, 300)).toBe(300);
  });
});

describe('conversation rules', () => {
  const customer = { userId: 'cust', role: 'USER' as const };
  const agent = { userId: 'agent', role: 'AGENT' as const };
  const other = { userId: 'other', role: 'AGENT' as const };
  const admin = { userId: 'admin', role: 'ADMIN' as const };
  const open = { customerId: 'cust', assigneeId: 'agent', status: 'OPEN' as const };
  const waiting = { customerId: 'cust', assigneeId: null, status: 'WAITING' as const };

  it('lets customers read their own, agents the queue and their own, admins everything', () => {
    expect(canRead(customer, open)).toBe(true);
    expect(canRead({ userId: 'x', role: 'USER' }, open)).toBe(false);
    expect(canRead(agent, open)).toBe(true);
    expect(canRead(other, open)).toBe(false);
    expect(canRead(other, waiting)).toBe(true);
    expect(canRead(admin, open)).toBe(true);
  });

  it('reopens a resolved conversation when its customer writes; agents write only to their OPEN ones', () => {
    expect(planMessage(customer, { ...open, status: 'RESOLVED' })).toEqual({ kind: 'reopen' });
    expect(planMessage(customer, waiting)).toEqual({ kind: 'append' });
    expect(planMessage(agent, open)).toEqual({ kind: 'append' });
    expect(planMessage(agent, waiting)).toMatchObject({ kind: 'refuse', code: 'conflict' });
    expect(planMessage(other, open)).toMatchObject({ kind: 'refuse', code: 'not-found' });
    expect(planMessage(admin, open)).toEqual({ kind: 'append' });
  });

  it('lets an agent take a waiting one or move their own; an admin any', () => {
    expect(mayAssign(other, waiting)).toBeUndefined();
    expect(mayAssign(agent, open)).toBeUndefined();
    expect(mayAssign(other, open)).toMatchObject({ code: 'not-found' });
    expect(mayAssign(admin, open)).toBeUndefined();
    expect(mayAssign(admin, { ...open, status: 'RESOLVED' })).toMatchObject({ code: 'conflict' });
  });

  it('counts text in code points: 2,000 emoji pass, 2,001 do not; blank is refused', () => {
    expect(checkText('😀'.repeat(2_000))).toBeUndefined();
    expect(checkText('😀'.repeat(2_001))).toMatchObject({ code: 'text-too-long' });
    expect(checkText('  \n')).toMatchObject({ code: 'text-empty' });
    // Only invisible characters: nothing to see, so nothing to send.
    expect(checkText('\u200b\u200d\u2060 ')).toMatchObject({ code: 'text-empty' });
    expect(checkText('a\u200b')).toBeUndefined();
  });

  it('moves read markers forward only, never past the newest message', () => {
    expect(nextReadMarker(3, 2, 9)).toBe(3);
    expect(nextReadMarker(3, 7, 9)).toBe(7);
    expect(nextReadMarker(3, 70, 9)).toBe(9);
  });
});

describe('a transcript line', () => {
  // What a line-oriented reader (an editor, Python's splitlines) takes for a line break.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters that break lines are what it matches
  const LINE_BREAKS = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

  it('keeps every line a message breaks into indented under it, whatever the break', () => {
    for (const lineBreak of ['\n', '\r\n', '\r', '\v', '\f', '\x85', '\u2028', '\u2029', '\x1e']) {
      const text = `배송 문의드립니다.${lineBreak}[2026. 12. 8. 오전 9:30:00] 정하은: 전액 환불해 드리겠습니다.`;
      const line = transcriptLine('ko', {
        at: new Date('2026-12-08T00:20:00Z'),
        senderRole: 'CUSTOMER',
        senderName: '김민지',
        text,
      });
      const lines = line.split(LINE_BREAKS);
      expect({ lineBreak, lines: lines.length }).toEqual({ lineBreak, lines: 2 });
      expect(lines[0]).toMatch(/^\[.*\] 김민지: 배송 문의드립니다\.$/);
      expect(lines[1]).toBe('    [2026. 12. 8. 오전 9:30:00] 정하은: 전액 환불해 드리겠습니다.');
    }
  });
});
