// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { pgBaseUrl, pgCheckoutUrl } from './pg-checkout.ts';

const page = { protocol: 'http:', hostname: '192.168.0.7' };

function hintPort(content: string) {
  const meta = document.createElement('meta');
  meta.name = 'sagamart:pg-port';
  meta.content = content;
  document.head.append(meta);
}

describe('where the shopper goes to pay', () => {
  afterEach(() => {
    for (const meta of document.head.querySelectorAll('meta')) meta.remove();
  });

  it('goes to port 9083 on the page’s host when the page names no port', () => {
    expect(pgBaseUrl(page)).toBe('http://192.168.0.7:9083');
  });

  it('goes to the port the gateway wrote into the page (a platform started with a port offset)', () => {
    hintPort('10083');
    expect(pgBaseUrl(page)).toBe('http://192.168.0.7:10083');
    const url = new URL(
      pgCheckoutUrl(
        { orderId: 'o-1', orderNumber: 'ORD-1', amount: 12_000, orderName: '티셔츠' },
        'http://shop.test:9080',
      ),
    );
    expect(url.origin).toBe(`${location.protocol}//${location.hostname}:10083`);
    expect(url.searchParams.get('successUrl')).toBe('http://shop.test:9080/payment/success?orderId=o-1');
  });

  it('ignores a hint that is not a port', () => {
    for (const content of ['', 'abc', '0', '70000', '90.5']) {
      hintPort(content);
      expect(pgBaseUrl(page), content).toBe('http://192.168.0.7:9083');
      document.head.querySelector('meta')?.remove();
    }
  });
});
