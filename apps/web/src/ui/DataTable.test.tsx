// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Badge } from '@mantine/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanUpPages, renderPage, shown } from '../testing/page-harness.tsx';
import { type DataColumn, DataTable } from './DataTable.tsx';

// An admin list read on a phone (390 px) scrolled sideways inside its card: a row could not be read
// without scrolling. On a phone each row is a card (the title and its status first, the date and the
// figure under them, the other fields labelled); from `sm` up the same table stays a table.

/** The viewport happy-dom evaluates media queries against. */
function viewport(width: number) {
  (
    window as unknown as { happyDOM: { setViewport(size: { width: number; height: number }): void } }
  ).happyDOM.setViewport({ width, height: 844 });
}

const sheet = document.createElement('style');
beforeAll(() => {
  sheet.textContent = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'data-table.css'), 'utf8');
  document.head.append(sheet);
});
afterAll(() => sheet.remove());
afterEach(async () => {
  await cleanUpPages();
  viewport(1024);
});

interface Order {
  id: string;
  number: string;
  buyer: string;
  note: string | null;
  at: string;
  total: string;
}

const columns: DataColumn<Order>[] = [
  { key: 'at', header: '주문일시', cell: (order) => order.at, phone: 'date' },
  {
    key: 'number',
    header: '주문번호',
    cell: (order) => <a href={`/admin/orders/${order.id}`}>{order.number}</a>,
    phone: 'title',
  },
  { key: 'buyer', header: '구매자', cell: (order) => order.buyer },
  { key: 'note', header: '메모', cell: (order) => order.note },
  { key: 'total', header: '결제 금액', cell: (order) => order.total, align: 'right', phone: 'amount' },
  { key: 'status', header: '상태', cell: () => <Badge>결제 완료</Badge>, phone: 'status' },
];

const orders: Order[] = [
  {
    id: 'a',
    number: 'ORD-20261208-AAAA',
    buyer: '박서연',
    note: null,
    at: '2026-12-08 10:00',
    total: '71,200원',
  },
  {
    id: 'b',
    number: 'ORD-20261208-BBBB',
    buyer: '이하늘',
    note: '부재 시 경비실',
    at: '2026-12-08 11:00',
    total: '142,400원',
  },
];

async function showOrders(width: number) {
  viewport(width);
  const container = await renderPage(
    <DataTable
      label="주문 목록"
      columns={columns}
      rows={orders}
      rowKey={(order) => order.id}
      rowProps={(order) => ({ 'data-testid': 'order-row', 'data-order': order.number })}
      expanded={(order) => (order.id === 'b' ? '배송 기록' : null)}
      minWidth={860}
    />,
  );
  const table = await shown(() => container.querySelector<HTMLElement>('table[aria-label="주문 목록"]'));
  const rows = [...table.querySelectorAll<HTMLElement>('tbody > tr[data-testid="order-row"]')];
  const cell = (row: number, column: string) =>
    rows[row]!.children[columns.findIndex((c) => c.key === column)] as HTMLElement;
  return {
    table,
    rows,
    cell,
    scroll: table.parentElement!,
    head: table.querySelector<HTMLElement>('thead')!,
  };
}

describe('an admin list on a phone', () => {
  it('draws each row as a card that needs no sideways scrolling', async () => {
    const { table, rows, head, scroll } = await showOrders(390);
    expect(getComputedStyle(scroll).overflowX).toBe('visible');
    expect(getComputedStyle(table).minWidth).toBe('0');
    expect(getComputedStyle(head).display).toBe('none');
    expect(rows.map((row) => getComputedStyle(row).display)).toEqual(['flex', 'flex']);
  });

  it('puts the title and its status first, then the date and the amount, then the other fields', async () => {
    const { cell } = await showOrders(390);
    const order = (column: string) => Number(getComputedStyle(cell(0, column)).order);
    expect(order('number')).toBeLessThan(order('status'));
    expect(order('status')).toBeLessThan(order('at'));
    expect(order('at')).toBeLessThan(order('total'));
    expect(order('total')).toBeLessThan(order('buyer'));
  });

  it('labels each field, the date and the amount with its column, and leaves the title and status bare', async () => {
    const { cell } = await showOrders(390);
    const labels = columns.map((column) => cell(1, column.key).dataset.label ?? null);
    expect(labels).toEqual(['주문일시', null, '구매자', '메모', '결제 금액', null]);
  });

  it('keeps rows and cells in the columns’ order, with the row’s attributes and what unfolds under it', async () => {
    const { table, rows, cell } = await showOrders(390);
    expect(rows.map((row) => row.dataset.order)).toEqual(['ORD-20261208-AAAA', 'ORD-20261208-BBBB']);
    expect([...rows[1]!.children].map((td) => td.textContent)).toEqual([
      '2026-12-08 11:00',
      'ORD-20261208-BBBB',
      '이하늘',
      '부재 시 경비실',
      '142,400원',
      '결제 완료',
    ]);
    expect(cell(0, 'total').style.textAlign).toBe('right');
    const unfolded = table.querySelector<HTMLTableCellElement>('tr[data-expanded] > td');
    expect(unfolded?.textContent).toBe('배송 기록');
    expect(unfolded?.colSpan).toBe(columns.length);
    expect(table.querySelectorAll('tr[data-expanded]')).toHaveLength(1);
  });
});

describe('an admin list on a wide screen', () => {
  it('stays a table with its headings, scrolling sideways below its width', async () => {
    const { table, rows, head, scroll } = await showOrders(1280);
    expect(getComputedStyle(scroll).overflowX).toBe('auto');
    expect(getComputedStyle(head).display).not.toBe('none');
    expect(rows.map((row) => getComputedStyle(row).display)).not.toContain('flex');
    expect([...head.querySelectorAll('th')].map((th) => th.textContent)).toEqual(
      columns.map((c) => c.header),
    );
    expect(scroll.style.getPropertyValue('--data-table-min-width')).toBe(
      'calc(53.75rem * var(--mantine-scale))',
    );
    expect(table.getAttribute('aria-label')).toBe('주문 목록');
  });
});
