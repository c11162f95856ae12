import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import {
  DESKTOP,
  findInternalText,
  horizontalOverflow,
  PHONE,
  saveScreenshot,
  settle,
  visibleText,
} from './support/page-scan.ts';
import { waitForValue } from './support/pages.ts';
import { PASSWORD, payOnPg } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

/** The saga and the PG settle by events: moments, not instants. */
const SETTLE_MS = 60_000;

/**
 * A new shopper's whole visit, in Korean, on a phone and on a desktop: browse, search in Korean, choose
 * a colour (the picture follows), sign up on the way to checkout (and land back there), pay with a
 * card that is declined, come back to a checkout that kept everything, pay, then cancel. Every page
 * on the way is scanned for internal codes, UUIDs, raw amounts and sideways overflow.
 */
describe('the shopper journey, Korean first', { timeout: 900_000 }, () => {
  const suite = useBrowserSuite();

  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`browses, searches, buys after a declined card, and cancels at ${viewport.width} px`, {
      timeout: 420_000,
    }, async () => {
      const context = await newShopContext(suite.browser, suite.environment.baseUrl, null, viewport);
      const page = await context.newPage();
      const pageErrors = collectPageErrors(page);
      const problems: string[] = [];
      /** Scans the page as it is now and saves its screenshot as `journey-<name>-<size>`. */
      const look = async (name: string) => {
        await settle(page);
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko', `${name}: lang`);
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) problems.push(`${name}: ${overflow}px wider than the screen`);
        for (const finding of findInternalText(await visibleText(page))) problems.push(`${name}: ${finding}`);
        // Read, then closed, as a shopper would: the toasts would hide the page in the screenshot.
        for (const close of await page.locator('.mantine-Notification-closeButton').all())
          await close.click();
        // A push may bring another toast meanwhile: that one just stays in the picture.
        await page
          .locator('.mantine-Notification-root')
          .first()
          .waitFor({ state: 'detached', timeout: 5_000 })
          .catch(() => undefined);
        await saveScreenshot(page, `journey-${name}-${size}`);
      };

      await screenshotOnFailure(`shopper-journey-${size}`, [page], async () => {
        // Browse: the home page, in Korean by default.
        await page.goto('/');
        await page.getByRole('heading', { name: '오늘 입을 옷, 내일 도착', level: 1 }).waitFor();
        await page.getByRole('list', { name: '신상품' }).getByTestId('product-card').first().waitFor();
        await look('home');

        // Search in Korean. The result cards come with their colours: no product's detail is read for them.
        const detailReads: string[] = [];
        const noteDetailRead = (request: Request) => {
          if (/^\/api\/catalog\/products\/\d+$/.test(new URL(request.url()).pathname))
            detailReads.push(request.url());
        };
        page.on('request', noteDetailRead);
        const search = page.getByRole('combobox', { name: '상품 검색' }).locator('visible=true').first();
        await search.fill('맨투맨');
        await search.press('Enter');
        await page.waitForURL(
          (url) => url.pathname === '/products' && url.searchParams.get('q') === '맨투맨',
        );
        const results = page.getByRole('list', { name: '상품 목록' });
        await results.getByTestId('product-card').first().waitFor();
        assert.match((await results.textContent()) ?? '', /맨투맨/);
        // Every card has its drawn picture once the category tree is in (the only other request).
        const cardCount = await results.getByTestId('product-card').count();
        await results
          .getByTestId('product-card')
          .locator('img')
          .nth(cardCount - 1)
          .waitFor({ state: 'attached' });
        assert.equal(await results.getByTestId('product-card').locator('img').count(), cardCount);
        page.off('request', noteDetailRead);
        assert.deepEqual(detailReads, [], 'the list reads no product details');
        await look('search');

        // A product: the picture follows the colour chosen.
        await results.getByTestId('product-card').first().click();
        const colour = page.getByLabel('색상', { exact: true });
        await colour.waitFor();
        const picture = page.getByRole('region', { name: '상품 이미지' }).getByRole('img');
        const colours = await availableOptions(colour);
        assert.ok(colours.length >= 2, 'a product in two colours or more');
        const before = await picture.getAttribute('src');
        await colour.selectOption(colours[1]!);
        await picture.and(page.getByRole('img', { name: new RegExp(`${colours[1]}$`) })).waitFor();
        assert.notEqual(await picture.getAttribute('src'), before, 'another colour, another picture');
        const sizeSelect = page.getByLabel('사이즈', { exact: true });
        if (await sizeSelect.count()) await sizeSelect.selectOption((await availableOptions(sizeSelect))[0]!);
        await page.getByRole('button', { name: '장바구니 담기' }).click();
        await page.getByText('장바구니에 1개 담았습니다', { exact: false }).waitFor();
        await look('product');

        // The cart shows the same picture, in the chosen colour.
        await page.goto('/cart');
        const line = page.getByTestId('cart-line').first();
        await line.waitFor();
        await page.waitForFunction(
          () =>
            document
              .querySelector('[data-testid="cart-line"] img')
              ?.getAttribute('src')
              ?.startsWith('data:image/svg'),
          null,
          { timeout: 15_000 },
        );
        assert.match(
          decodeURIComponent((await line.locator('img').getAttribute('src')) ?? ''),
          /<svg/,
          'the cart line has its drawn picture',
        );
        await look('cart');

        // Checkout asks for an account: sign up from there and come straight back, signed in.
        await page.getByRole('link', { name: '주문하기' }).click();
        await page.getByRole('heading', { name: '로그인', level: 1 }).waitFor();
        await look('login');
        await page.locator('form').getByRole('link', { name: '회원가입' }).click();
        await page.getByRole('heading', { name: '회원가입', level: 1 }).waitFor();
        await look('signup');
        await page
          .getByLabel('이메일', { exact: true })
          .fill(`journey-${randomUUID().slice(0, 8)}@example.com`);
        await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
        await page.getByLabel('비밀번호 확인', { exact: true }).fill(PASSWORD);
        await page.getByLabel('이름', { exact: true }).fill('박지민');
        await page.getByLabel('휴대폰 번호', { exact: true }).fill('010-2345-6789');
        await page.getByRole('button', { name: '가입하기' }).click();
        await page.waitForURL((url) => url.pathname === '/checkout');
        await page.getByRole('heading', { name: '주문/결제', level: 1 }).waitFor();
        // The welcome is the only toast: nothing tells a signed-in shopper to log in.
        await page.getByText('박지민님, 환영합니다!').waitFor();
        assert.equal(
          await page.getByText('로그인', { exact: false }).filter({ hasText: '해 주세요' }).count(),
          0,
        );

        // Checkout: the receiver comes from the profile; the address is typed once, and saved.
        const receiver = page.getByLabel('받는 분', { exact: true });
        await waitForValue(receiver, '박지민');
        await page.getByLabel('우편번호', { exact: true }).fill('04524');
        await page.getByLabel('주소', { exact: true }).fill('서울특별시 중구 세종대로 110');
        await page.getByLabel('상세 주소', { exact: true }).fill('3층');
        const saveAddress = page.getByRole('checkbox', { name: '이 배송지를 배송지 목록에 저장' });
        assert.equal(await saveAddress.isChecked(), true, 'the first address is saved by default');
        const payable = page.getByTestId('amount-payable');
        await payable.filter({ hasText: /원$/ }).waitFor();
        await look('checkout');
        const amount = ((await payable.textContent()) ?? '').trim();
        const amountWon = Number(amount.replace(/[^0-9]/g, ''));

        // The card is declined...
        await page.getByRole('button', { name: '결제하기' }).click();
        await payOnPg(page, suite.environment.pgUrl, amountWon, 'decline');
        await page.getByRole('heading', { name: '결제 실패', level: 1 }).waitFor({ timeout: SETTLE_MS });
        await look('declined');

        // ...which cancels that order: ordered again, checkout holds its items and address.
        await page.getByRole('link', { name: '다시 주문하기' }).click();
        await page.getByTestId('checkout-retry').waitFor();
        assert.equal(
          await page.getByLabel('주소', { exact: true }).inputValue(),
          '서울특별시 중구 세종대로 110',
        );
        assert.equal(await page.getByLabel('상세 주소', { exact: true }).inputValue(), '3층');
        // The address went into the book on the first try: it is the chosen saved address now.
        await page
          .getByRole('radiogroup', { name: '저장된 배송지에서 선택' })
          .getByRole('radio', { checked: true })
          .waitFor({ state: 'attached' });
        await payable.filter({ hasText: amount }).waitFor();
        await look('checkout-retry');
        await page.getByRole('button', { name: '결제하기' }).click();
        await payOnPg(page, suite.environment.pgUrl, amountWon, 'approve');
        await page.getByRole('heading', { name: '결제 완료', level: 1 }).waitFor({ timeout: SETTLE_MS });
        await look('paid');

        // Cancel the paid order from its page.
        await page.getByRole('link', { name: '주문 보기' }).first().click();
        await page
          .getByTestId('order-status')
          .filter({ hasText: '결제 완료' })
          .waitFor({ timeout: SETTLE_MS });
        await page.getByRole('button', { name: '주문 취소' }).click();
        await page.getByRole('dialog').getByRole('button', { name: '주문 취소' }).click();
        await page
          .getByTestId('order-status')
          .filter({ hasText: '주문 취소' })
          .waitFor({ timeout: SETTLE_MS });
        await look('order-cancelled');

        // My page: the address book holds the address, as the default.
        await page.goto('/me/addresses');
        const book = page.getByRole('list', { name: '저장된 배송지' });
        await book.getByText('(04524) 서울특별시 중구 세종대로 110 3층').waitFor();
        await book.getByText('기본 배송지').waitFor();
        await look('addresses');
        await page.goto('/me/profile');
        await page.getByRole('heading', { name: '내 정보', level: 1 }).waitFor();
        await look('profile');

        // Logging out: from the header on a desktop, from the menu on a phone.
        if (size === 'phone') await page.getByRole('button', { name: '메뉴 열기' }).click();
        await page.getByRole('button', { name: '로그아웃' }).locator('visible=true').click();
        await page.getByRole('link', { name: '로그인' }).first().waitFor();

        assert.deepEqual(problems, []);
      });
      assert.deepEqual(pageErrors, []);
      await context.close();
    });
  }
});

/** The values of a select's options a shopper can choose (not the prompt, not the sold out). */
function availableOptions(select: ReturnType<Page['getByLabel']>): Promise<string[]> {
  return select.evaluate((element) =>
    [...(element as HTMLSelectElement).options].filter((o) => o.value && !o.disabled).map((o) => o.value),
  );
}
