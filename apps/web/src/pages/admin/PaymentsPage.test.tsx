// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import { aPage, aPayment } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { PaymentsPage } from './PaymentsPage.tsx';

/** A card payment as payment-service lists it: the PG names the method in Korean. */
const cardPayment = aPayment({ method: '카드' });

beforeEach(() => {
  stubFetch({ '/api/admin/payments': () => Response.json(aPage([cardPayment])) });
});

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('the admin’s payments in English', () => {
  it('name the payment method in English', async () => {
    await setLanguage('en');
    const container = await renderPage(<PaymentsPage />, ['/admin/payments']);
    const row = await shown(() => container.querySelector('tbody tr'));
    const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent);
    expect(cells).toContain('Card');
    expect(cells).not.toContain('카드');
  });
});
