// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import { aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown } from '../../testing/page-harness.tsx';
import { ListTotal } from './ShippingListParts.tsx';

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

async function total(of: 'shipments' | 'returns' | 'exchanges', count: number) {
  const container = await renderPage(<ListTotal of={of} page={aPage([], { totalElements: count })} />);
  return (await shown(() => container.querySelector('[data-testid="list-total"]')))?.textContent;
}

describe('the shipping lists’ total', () => {
  it('says what it counts, as the other admin lists do', async () => {
    expect(await total('shipments', 1)).toBe('배송 1건');
  });

  it('says it in English, one or many', async () => {
    await setLanguage('en');
    expect(await total('shipments', 1)).toBe('1 shipment');
    await cleanUpPages();
    expect(await total('shipments', 2)).toBe('2 shipments');
  });
});
