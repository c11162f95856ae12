// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import type { MyPoints, PointLedgerEntry } from '../../points/points-api.ts';
import { aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { PointsPage } from './PointsPage.tsx';

// user-service's ledger for an order paid with points: the points leave at the order (RESERVE, with its
// number). The 0-point COMMIT row recording the order being paid is left out by the server (its
// point-reservations test), so the page shows every row it is sent and its totals count them.

const entry = (fields: Pick<PointLedgerEntry, 'id' | 'type' | 'amount' | 'balanceAfter' | 'reason'>) => ({
  ...fields,
  createdAt: '2026-12-07T11:42:00.000Z',
});
const ledger: MyPoints = {
  balance: 31_000,
  ledger: aPage([
    entry({
      id: '2',
      type: 'RESERVE',
      amount: -19_000,
      balanceAfter: 31_000,
      reason: 'Used for order ORD-20261207-RR2W4W9L',
    }),
    entry({
      id: '1',
      type: 'CHARGE',
      amount: 50_000,
      balanceAfter: 50_000,
      reason: 'Charge PNT-20261207-L427VHJS',
    }),
  ]),
};

afterEach(async () => {
  cleanUpPages();
  await setLanguage('ko');
});

describe('my points history after an order paid with points', () => {
  it('lists the points leaving for the order once, without a numberless "사용 확정 · 주문" row', async () => {
    stubFetch({
      '/api/users/me/points': () => Response.json(ledger),
      '/api/users/me/points/charges': () => Response.json(aPage([])),
    });
    const page = await renderPage(<PointsPage />, ['/me/points']);
    const history = await shown(() => page.querySelector('[aria-label="포인트 내역"]'));
    const rows = [...history.querySelectorAll('li')].map((row) => row.textContent);
    expect(rows).toEqual([
      expect.stringMatching(/^주문 사용주문 ORD-20261207-RR2W4W9L.*-19,000P잔액 31,000P$/),
      expect.stringMatching(/^충전포인트 충전 PNT-20261207-L427VHJS.*\+50,000P잔액 50,000P$/),
    ]);
    expect(history.textContent).not.toContain('사용 확정');
    // Points in P, the balance too: points are not cash, even when paid for.
    expect(page.querySelector('[data-testid="point-balance"]')?.textContent).toBe('31,000P');
  });
});

// An order paid with points, then cancelled: user-service gives the points back (RELEASE) with the
// order's number, as it names the use (its point-reservations test).
const cancelled: MyPoints = {
  balance: 7_000,
  ledger: aPage([
    entry({
      id: '3',
      type: 'RELEASE',
      amount: 2_000,
      balanceAfter: 7_000,
      reason: 'Returned: order ORD-20261208-XRTXU5EB cancelled',
    }),
    entry({
      id: '2',
      type: 'RESERVE',
      amount: -2_000,
      balanceAfter: 5_000,
      reason: 'Used for order ORD-20261208-XRTXU5EB',
    }),
  ]),
};

describe('my points history after a cancelled order', () => {
  const rowsOf = async () => {
    stubFetch({
      '/api/users/me/points': () => Response.json(cancelled),
      '/api/users/me/points/charges': () => Response.json(aPage([])),
    });
    const page = await renderPage(<PointsPage />, ['/me/points']);
    const history = await shown(() => page.querySelector('ul'));
    return [...history.querySelectorAll('li')];
  };

  it('names the order the points came back from, as the use names it', async () => {
    const [release, use] = await rowsOf();
    expect(release!.textContent).toMatch(/^사용 취소주문 ORD-20261208-XRTXU5EB.*\+2,000P잔액 7,000P$/);
    expect(use!.textContent).toMatch(/^주문 사용주문 ORD-20261208-XRTXU5EB.*-2,000P잔액 5,000P$/);
  });

  it('says in English what happened to the points, and names the order too', async () => {
    await setLanguage('en');
    const [release, use] = await rowsOf();
    expect(release!.textContent).toMatch(
      /^Order cancelledOrder ORD-20261208-XRTXU5EB.*\+2,000PBalance 7,000P$/,
    );
    expect(use!.textContent).toMatch(/^Used on an orderOrder ORD-20261208-XRTXU5EB/);
  });
});
