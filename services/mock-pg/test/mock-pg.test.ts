import { randomUUID } from 'node:crypto';
import type { Service } from '@sagamart/kit';
import { startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mockPg from '../src/index.ts';

const SECRET = 'test_sk_for_tests';
const auth = { authorization: `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}` };

describe('mock PG', () => {
  let pg: Service<any>;

  beforeAll(async () => {
    pg = await startTestService(mockPg, { config: { mockPg: { secretKey: SECRET, slowConfirmMs: 600 } } });
  });
  afterAll(async () => {
    await pg.stop();
  });

  const orderNumber = () => `ORD-20250615-${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`;
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = auth,
  ) => {
    const res = await fetch(`${pg.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  /** Goes through the hosted page like a browser and returns where it redirected. */
  async function checkout(card: string, options: { amount?: number; order?: string; action?: string } = {}) {
    const order = options.order ?? orderNumber();
    const amount = options.amount ?? 25_000;
    const form = new URLSearchParams({
      orderNumber: order,
      amount: String(amount),
      orderName: '티셔츠 외 1건',
      successUrl: 'http://127.0.0.1:5173/payments/success?from=pg',
      failUrl: 'http://127.0.0.1:5173/payments/fail',
      card,
      action: options.action ?? 'pay',
    });
    const res = await fetch(`${pg.url}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    return { order, amount, location, paymentKey: location.searchParams.get('paymentKey') };
  }

  describe('checkout page', () => {
    it('renders the order with every test card, escaping what it was given', async () => {
      const query = new URLSearchParams({
        orderNumber: 'ORD-20250615-ABCDEFGH',
        amount: '39000',
        orderName: '<script>alert("x")</script> & "quotes"',
        successUrl: 'http://127.0.0.1:5173/ok?a=1&b="2"',
        failUrl: 'http://127.0.0.1:5173/fail',
      });
      const res = await fetch(`${pg.url}/checkout?${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const page = await res.text();
      expect(page).not.toContain('<script>');
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
      expect(page).toContain('value="http://127.0.0.1:5173/ok?a=1&amp;b=&quot;2&quot;"');
      expect(page).toContain('39,000원');
      for (const card of ['approve', 'decline', 'insufficient', 'slow'])
        expect(page).toContain(`value="${card}"`);
    });

    it('serves the Korean font its pages link, and nothing else of the font package', async () => {
      const page = await (await fetch(`${pg.url}/checkout?orderNumber=x`)).text();
      const stylesheets = [...page.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]!);
      expect(stylesheets.length).toBeGreaterThan(0);
      for (const href of stylesheets) {
        const css = await fetch(`${pg.url}${href}`);
        expect(css.status).toBe(200);
        expect(css.headers.get('content-type')).toContain('text/css');
        const text = await css.text();
        expect(text).toContain("font-family: 'Noto Sans KR'");
        // Every subset the stylesheet names (Hangul, Latin, …), resolved as a browser resolves it.
        const files = [...text.matchAll(/url\((\.\/files\/[^)]+\.woff2)\)/g)].map((m) => m[1]!);
        expect(files.length).toBeGreaterThan(100);
        for (const file of files) {
          const font = await fetch(new URL(file, `${pg.url}${href}`));
          expect(font.status, file).toBe(200);
          expect(font.headers.get('content-type')).toBe('font/woff2');
          expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(500);
        }
      }
      for (const path of [
        '/fonts/package.json',
        '/fonts/index.css',
        '/fonts/files/noto-sans-kr-0-400-normal.woff',
        '/fonts/%2e%2e/package.json',
        '/fonts/',
      ]) {
        expect((await fetch(`${pg.url}${path}`)).status, path).toBe(404);
      }
    });

    it('refuses bad parameters and non-http redirect targets with an error page', async () => {
      const base = {
        orderNumber: 'ORD-20250615-ABCDEFGH',
        amount: '1000',
        orderName: 'x',
        failUrl: 'http://127.0.0.1/f',
      };
      for (const bad of [
        { ...base, successUrl: 'javascript:alert(1)' },
        { ...base, successUrl: 'http://127.0.0.1/s', amount: '-5' },
        { ...base, successUrl: 'http://127.0.0.1/s', orderNumber: 'a b' },
      ]) {
        const res = await fetch(`${pg.url}/checkout?${new URLSearchParams(bad)}`);
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('결제를 진행할 수 없습니다');
      }
    });

    it('redirects to successUrl with paymentKey, orderNumber and amount, keeping its own query', async () => {
      const { location, order, paymentKey } = await checkout('approve', { amount: 12_345 });
      expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:5173/payments/success');
      expect(location.searchParams.get('from')).toBe('pg');
      expect(location.searchParams.get('orderNumber')).toBe(order);
      expect(location.searchParams.get('amount')).toBe('12345');
      expect(paymentKey).toMatch(/^mpg_\d{8}[0-9a-f]{24}$/);
      const looked = await api('GET', `/v1/payments/${paymentKey}`);
      expect(looked.body).toMatchObject({
        status: 'READY',
        orderId: order,
        totalAmount: 12_345,
        card: { testCard: 'approve' },
      });
    });

    it('redirects a cancelled checkout to failUrl with a code and creates no payment', async () => {
      const { location, order } = await checkout('approve', { action: 'cancel' });
      expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:5173/payments/fail');
      expect(location.searchParams.get('code')).toBe('PAY_PROCESS_CANCELED');
      expect(location.searchParams.get('orderNumber')).toBe(order);
      expect((await api('GET', `/v1/payments/orders/${order}`)).status).toBe(404);
    });
  });

  describe('server API', () => {
    it('needs the secret key', async () => {
      const { paymentKey } = await checkout('approve');
      expect((await api('GET', `/v1/payments/${paymentKey}`, undefined, {})).status).toBe(401);
      const wrong = { authorization: `Basic ${Buffer.from('test_sk_wrong:').toString('base64')}` };
      const res = await api('GET', `/v1/payments/${paymentKey}`, undefined, wrong);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED_KEY');
    });

    it('approves once and answers every repeated confirm the same', async () => {
      const { paymentKey, order, amount } = await checkout('approve');
      const first = await api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        status: 'DONE',
        totalAmount: amount,
        balanceAmount: amount,
        orderId: order,
      });
      expect(first.body.approvedAt).toEqual(expect.any(String));
      const repeats = await Promise.all(
        [1, 2, 3].map(() => api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount })),
      );
      for (const repeat of repeats) expect(repeat).toEqual(first);
    });

    it('declines by card, and repeats the same failure', async () => {
      for (const [card, code] of [
        ['decline', 'REJECT_CARD_COMPANY'],
        ['insufficient', 'NOT_ENOUGH_BALANCE'],
      ]) {
        const { paymentKey, order, amount } = await checkout(card!);
        const first = await api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount });
        expect(first.status).toBe(400);
        expect(first.body).toMatchObject({ code, type: `urn:sagamart:problem:${code}` });
        const again = await api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount });
        expect(again.body.code).toBe(code);
        expect((await api('GET', `/v1/payments/${paymentKey}`)).body).toMatchObject({
          status: 'ABORTED',
          failure: { code },
        });
      }
    });

    it('refuses a confirm whose amount or order does not match, and charges nothing', async () => {
      const { paymentKey, order, amount } = await checkout('approve');
      const mismatch = await api('POST', '/v1/payments/confirm', {
        paymentKey,
        orderId: order,
        amount: amount - 1,
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.code).toBe('INVALID_AMOUNT');
      const otherOrder = await api('POST', '/v1/payments/confirm', {
        paymentKey,
        orderId: 'ORD-20250615-ZZZZZZZZ',
        amount,
      });
      expect(otherOrder.body.code).toBe('INVALID_ORDER_ID');
      expect((await api('GET', `/v1/payments/${paymentKey}`)).body.status).toBe('READY');
      const unknown = await api('POST', '/v1/payments/confirm', {
        paymentKey: 'mpg_nope',
        orderId: order,
        amount,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('NOT_FOUND_PAYMENT');
    });

    it('answers a slow card late, shows it IN_PROGRESS meanwhile and DONE after', async () => {
      const { paymentKey, order, amount } = await checkout('slow');
      const confirming = api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount });
      // While the approval is under way, a lookup sees it in progress.
      let during: any;
      for (let i = 0; i < 50 && during?.status !== 'IN_PROGRESS'; i++) {
        during = (await api('GET', `/v1/payments/${paymentKey}`)).body;
        if (during.status !== 'IN_PROGRESS') await new Promise((r) => setTimeout(r, 10));
      }
      expect(during.status).toBe('IN_PROGRESS');
      const confirmed = await confirming;
      expect(confirmed.body.status).toBe('DONE');
      expect((await api('GET', `/v1/payments/${paymentKey}`)).body.status).toBe('DONE');
    });

    it('cancels part of a payment once per Idempotency-Key, never more than its balance', async () => {
      const { paymentKey, order, amount } = await checkout('approve');
      await api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount });
      const cancel = (cancelAmount: number, key: string) =>
        api(
          'POST',
          `/v1/payments/${paymentKey}/cancel`,
          { cancelReason: '반품', cancelAmount },
          {
            ...auth,
            'idempotency-key': key,
          },
        );
      const first = await cancel(1_000, 'claim-1');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        status: 'PARTIAL_CANCELED',
        balanceAmount: amount - 1_000,
        cancels: [{ cancelAmount: 1_000, cancelReason: '반품' }],
      });
      // The same key again (a retry after a lost answer) refunds nothing more.
      expect((await cancel(1_000, 'claim-1')).body).toEqual(first.body);
      const tooMuch = await cancel(amount, 'claim-2');
      expect(tooMuch.status).toBe(403);
      expect(tooMuch.body.code).toBe('NOT_CANCELABLE_AMOUNT');
      const rest = await cancel(amount - 1_000, 'claim-2');
      expect(rest.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
      expect(rest.body.cancels).toHaveLength(2);
    });

    it('cancels (refunds) a DONE payment in full, idempotently', async () => {
      const { paymentKey, order, amount } = await checkout('approve');
      await api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount });
      const cancelled = await api('POST', `/v1/payments/${paymentKey}/cancel`, { cancelReason: '주문 취소' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'CANCELED',
        balanceAmount: 0,
        cancels: [{ cancelAmount: amount, cancelReason: '주문 취소' }],
      });
      const again = await api('POST', `/v1/payments/${paymentKey}/cancel`, {
        cancelReason: '다시',
        cancelAmount: amount,
      });
      expect(again).toEqual(cancelled);
      // A repeated confirm of a refunded payment charges nothing and shows the refund.
      expect(
        (await api('POST', '/v1/payments/confirm', { paymentKey, orderId: order, amount })).body.status,
      ).toBe('CANCELED');
    });

    it('refuses to cancel a payment that was never approved', async () => {
      const { paymentKey } = await checkout('approve');
      const res = await api('POST', `/v1/payments/${paymentKey}/cancel`, { cancelReason: 'x' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_CANCELABLE_PAYMENT');
    });

    it("looks up an order's latest payment", async () => {
      const order = orderNumber();
      await checkout('decline', { order });
      const { paymentKey } = await checkout('approve', { order });
      const res = await api('GET', `/v1/payments/orders/${order}`);
      expect(res.status).toBe(200);
      expect(res.body.paymentKey).toBe(paymentKey);
    });

    it('starts a test payment without the page, for server-side test payments', async () => {
      const order = orderNumber();
      const started = await api('POST', '/v1/payments/test-checkout', {
        orderNumber: order,
        amount: 5_000,
        orderName: 'auto',
        card: 'approve',
      });
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ status: 'READY', orderId: order, totalAmount: 5_000 });
      const confirmed = await api('POST', '/v1/payments/confirm', {
        paymentKey: started.body.paymentKey,
        orderId: order,
        amount: 5_000,
      });
      expect(confirmed.body.status).toBe('DONE');
    });
  });
});
