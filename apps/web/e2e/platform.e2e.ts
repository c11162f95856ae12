import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { collectPageErrors, newShopContext, RESULTS_DIR, screenshotOnFailure } from './support/browser.ts';
import { logIn } from './support/pages.ts';
import { useBrowserSuite } from './support/suite.ts';

const CORE_SERVICES = ['gateway', 'config-server', 'discovery-server'];

describe('platform page', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();

  it('shows the core services with healthy instances to the bootstrap admin', {
    timeout: 120_000,
  }, async () => {
    const context = await newShopContext(suite.browser, suite.environment.baseUrl);
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);

    await screenshotOnFailure('platform page', [page], async () => {
      await page.goto('/login');
      await logIn(page, suite.environment.adminEmail, suite.environment.adminPassword);

      // The admin lands on the dashboard; the platform page is one link away.
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Platform' }).click();
      await page.getByRole('heading', { name: 'Platform', level: 1 }).waitFor();

      const healthColumn = await columnIndex(page, 'Health');
      for (const service of CORE_SERVICES) {
        // The page refetches every 5 s, so an instance that is still starting turns UP in place.
        await instanceRows(page, service)
          .getByRole('cell')
          .nth(healthColumn)
          .getByText('UP', { exact: true })
          .first()
          .waitFor({ timeout: 60_000 });
      }

      // Metrics at a glance: the page's own calls go through the gateway, so by a later refresh the
      // gateway's row has a request rate (a number, not the dash of the first look).
      const metrics = page.getByRole('table', { name: 'Service metrics' });
      const gatewayRate = metrics
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: 'gateway', exact: true }) })
        .getByRole('cell')
        .nth(1);
      await gatewayRate.getByText(/^\d+\.\d\d$/).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(RESULTS_DIR, 'admin-platform-metrics.png'), fullPage: true });

      // The service map: logging in made the gateway call auth-service, so that edge is drawn.
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Traces' }).click();
      const graph = page.getByRole('img', { name: 'Service map graph' });
      await graph.waitFor({ timeout: 30_000 });
      await graph.locator('[data-edge="gateway → auth-service"]').waitFor();
      assert.match(
        (await graph.locator('[data-edge="gateway → auth-service"] text').textContent()) ?? '',
        /\/min/,
      );
      await page.getByRole('table', { name: 'Service map' }).waitFor();
      await graph.screenshot({ path: join(RESULTS_DIR, 'admin-service-map.png') });
    });

    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});

function instanceRows(page: Page, service: string) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: service, exact: true }) });
}

async function columnIndex(page: Page, header: string): Promise<number> {
  const table = page.getByRole('table', { name: 'Services' });
  await table.waitFor();
  const headers = (await table.getByRole('columnheader').allTextContents()).map((text) => text.trim());
  const index = headers.indexOf(header);
  assert.notEqual(index, -1, `no "${header}" column in ${headers.join(', ')}`);
  return index;
}
