// @vitest-environment happy-dom
import type { NotificationServerMessage } from '@sagamart/contracts';
import { act } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationCenter } from '../../notifications/NotificationCenter.tsx';
import { fakeBrowserSockets } from '../../testing/fake-socket.ts';
import { anOrder, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { signInAsShopper, signOut } from '../../testing/session.ts';
import { MyOrderDetailPage } from '../me/MyOrderDetailPage.tsx';

// An order URL naming no order of mine showed a bare "찾을 수 없습니다." with a "다시 시도" that could
// only find nothing again, and asked for the order a second time once the live connection was up.

const MISSING = '00000000-0000-4000-8000-000000000000';
/** An order of mine, open in another view at the same time: what the live connection does read again. */
const MINE = anOrder();

afterEach(async () => {
  await cleanUpPages();
  await signOut();
});

describe('an order URL that names no order of mine', () => {
  it('says so as a page with the way to my orders, offers no retry, and asks only once', async () => {
    const requested = stubFetch({
      [`/api/orders/${MISSING}`]: () => problem(404, { type: 'urn:sagamart:problem:not-found' }),
      [`/api/orders/${MINE.orderId}`]: () => Response.json(MINE),
      '/api/notifications': () => Response.json(aPage([])),
      '/api/notifications/unread-count': () => Response.json({ unread: 0 }),
    });
    const sockets = fakeBrowserSockets<NotificationServerMessage>();
    await signInAsShopper();
    const container = await renderPage(
      <NotificationCenter>
        <Routes>
          <Route path="/me/orders/:id" element={<MyOrderDetailPage />} />
        </Routes>
        <div hidden>
          <Routes location={`/me/orders/${MINE.orderId}`}>
            <Route path="/me/orders/:id" element={<MyOrderDetailPage />} />
          </Routes>
        </div>
      </NotificationCenter>,
      [`/me/orders/${MISSING}`],
    );

    const page = await shown(() => container.querySelector('[data-testid="order-not-found"]'));
    const notFoundPages = container.querySelectorAll('[data-testid="order-not-found"]');
    expect(notFoundPages).toHaveLength(1);
    expect(page.querySelector('h1')?.textContent).toBe('주문을 찾을 수 없습니다');
    expect(page.querySelector('a[href="/me/orders"]')?.textContent).toBe('주문 내역 보기');
    expect([...container.querySelectorAll('button')].map((button) => button.textContent)).not.toContain(
      '다시 시도',
    );
    expect(container.querySelector('[role="alert"]')).toBeNull();
    expect(container.textContent).not.toContain(MISSING);

    // Online, then told to read everything again (a reset): my order's page reads it again; the
    // missing order is not asked for again.
    const reads = (orderId: string) => requested.filter((url) => url === `/api/orders/${orderId}`).length;
    const socket = await act(() => sockets.openNewest());
    await act(async () => socket.deliver({ type: 'resumed', last: 0 }));
    const mineBefore = reads(MINE.orderId);
    await act(async () => socket.deliver({ type: 'reset', last: 0 }));
    await shown(() => reads(MINE.orderId) > mineBefore);
    expect(requested.filter((url) => url === `/api/orders/${MISSING}`)).toHaveLength(1);
    expect(container.querySelector('[data-testid="order-not-found"]')).not.toBeNull();
  });
});
