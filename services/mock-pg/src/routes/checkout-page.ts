import type { TestCard } from '@sagamart/contracts';
import { FONT_STYLESHEETS } from './font-routes.ts';

// The hosted checkout page: plain server-rendered HTML, no scripts. Every value that comes from the
// request is escaped for the context it lands in (text or a double-quoted attribute).

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export const CARD_LABELS: Record<TestCard, string> = {
  approve: '승인 카드 (approve)',
  decline: '거절 카드 (decline)',
  insufficient: '잔액 부족 카드 (insufficient)',
  slow: '느린 승인 카드 (slow)',
};

const STYLE = `
  body { font-family: 'Noto Sans KR', system-ui, sans-serif; background: #f4f6fa; margin: 0; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border-radius: 12px; padding: 28px;
         box-shadow: 0 4px 18px rgba(0,0,0,.08); }
  h1 { font-size: 20px; margin: 0 0 16px; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 6px 16px; margin: 0 0 20px; }
  dt { color: #6b7280; } dd { margin: 0; font-weight: 600; }
  fieldset { border: 1px solid #e5e7eb; border-radius: 8px; margin: 0 0 20px; }
  label { display: block; padding: 6px 0; }
  .actions { display: flex; gap: 8px; }
  button { flex: 1; padding: 12px; border-radius: 8px; border: 0; font: inherit; font-size: 16px; cursor: pointer; }
  .pay { background: #3182f6; color: #fff; } .cancel { background: #e5e7eb; }
  .error { color: #b91c1c; }
`;

const FONT_LINKS = FONT_STYLESHEETS.map((href) => `<link rel="stylesheet" href="${href}">`).join('');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="icon" href="data:,">${FONT_LINKS}<style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export interface CheckoutForm {
  orderNumber: string;
  amount: number;
  orderName: string;
  successUrl: string;
  failUrl: string;
}

export function checkoutPage(form: CheckoutForm, cards: readonly TestCard[]): string {
  const hidden = (Object.entries(form) as Array<[string, string | number]>)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const options = cards
    .map(
      (card, i) =>
        `<label><input type="radio" name="card" value="${escapeHtml(card)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(CARD_LABELS[card])}</label>`,
    )
    .join('\n');
  return page(
    '모의 결제',
    `<h1>모의 결제 (Mock PG)</h1>
<dl>
  <dt>주문번호</dt><dd data-field="orderNumber">${escapeHtml(form.orderNumber)}</dd>
  <dt>상품</dt><dd data-field="orderName">${escapeHtml(form.orderName)}</dd>
  <dt>결제금액</dt><dd data-field="amount">${escapeHtml(form.amount.toLocaleString('ko-KR'))}원</dd>
</dl>
<form method="post" action="/checkout">
${hidden}
<fieldset><legend>테스트 카드</legend>
${options}
</fieldset>
<div class="actions">
  <button class="cancel" type="submit" name="action" value="cancel">취소</button>
  <button class="pay" type="submit" name="action" value="pay">결제하기</button>
</div>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page('결제 오류', `<h1>결제를 진행할 수 없습니다</h1><p class="error">${escapeHtml(message)}</p>`);
}
