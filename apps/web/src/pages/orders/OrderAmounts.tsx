import { Divider, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { paymentMethodLabel } from '../../i18n/labels.ts';
import { formatPoints, formatWon } from '../../lib/format.ts';
import { orderTotal } from '../../orders/order-summary.ts';
import type { PolicyDiscount } from '../../orders/orders-api.ts';

/** What a quote and an order both carry. */
interface Shown {
  subtotal: number;
  policyDiscounts: PolicyDiscount[];
  couponDiscount: number;
  pointsUsed: number;
  payableAmount: number;
}

/**
 * Where an order stands, for what its amounts are called: a checkout's quote; an order awaiting
 * payment; one paid (the PG part by `method`, and the order's `refundedAmount`: everything the PG gave
 * back since, by returns or a cancel); or one cancelled before it was paid.
 */
export type AmountsStanding =
  | { kind: 'quote' }
  | { kind: 'unpaid' }
  | { kind: 'paid'; method: string; refundedAmount: number }
  | { kind: 'cancelledUnpaid' };

/**
 * The server's amounts, as a description list; nothing here is computed but the signs, the order
 * total (what the lists show: the PG's part and the points') and, once returns gave some back, what
 * the PG kept. Each figure is named for what it is: order total, points, the PG's part, net of refunds.
 */
export function OrderAmounts({
  amounts,
  standing = { kind: 'quote' },
}: {
  amounts: Shown;
  standing?: AmountsStanding;
}) {
  const { t } = useTranslation();
  const discounts = (
    <>
      <Row label={t('order.subtotal')} testId="amount-subtotal">
        {formatWon(amounts.subtotal)}
      </Row>
      {amounts.policyDiscounts.map((discount) => (
        <Row key={discount.policyId} label={discount.name} discount>
          −{formatWon(discount.amount)}
        </Row>
      ))}
      {amounts.couponDiscount > 0 && (
        <Row label={t('order.coupon')} testId="amount-coupon" discount>
          −{formatWon(amounts.couponDiscount)}
        </Row>
      )}
    </>
  );
  if (standing.kind === 'quote') {
    return (
      <Stack component="dl" gap={6} m={0}>
        {discounts}
        {amounts.pointsUsed > 0 && (
          <Row label={t('order.pointsUsed')} testId="amount-points" discount>
            −{formatPoints(amounts.pointsUsed)}
          </Row>
        )}
        <Divider my={4} />
        <Row label={t('order.totalToPay')} testId="amount-payable" strong>
          {formatWon(amounts.payableAmount)}
        </Row>
      </Stack>
    );
  }
  // A cancelled unpaid order shows only what it came to; a points-only order has no PG part.
  const pgPart = standing.kind !== 'cancelledUnpaid' && amounts.payableAmount > 0;
  const refunded = standing.kind === 'paid' ? standing.refundedAmount : 0;
  const method = standing.kind === 'paid' ? paymentMethodLabel(standing.method) : '';
  return (
    <Stack component="dl" gap={6} m={0}>
      {discounts}
      <Divider my={4} />
      <Row label={t('order.orderTotal')} testId="amount-order-total" strong={!pgPart}>
        {formatWon(orderTotal(amounts))}
      </Row>
      {standing.kind !== 'cancelledUnpaid' && amounts.pointsUsed > 0 && (
        <Row
          label={standing.kind === 'paid' ? t('order.pointsPayment') : t('order.pointsUsed')}
          testId="amount-points"
          discount
        >
          −{formatPoints(amounts.pointsUsed)}
        </Row>
      )}
      {pgPart && (
        <Row
          label={standing.kind === 'paid' ? t('order.paidBy', { method }) : t('order.toPay')}
          testId="amount-payable"
          strong={refunded === 0}
        >
          {formatWon(amounts.payableAmount)}
        </Row>
      )}
      {/* After a refund what the PG kept is the headline; the amount it took stays above it. */}
      {refunded > 0 && (
        <>
          <Row label={t('order.refundedTo', { method })} testId="amount-refunded" discount>
            −{formatWon(refunded)}
          </Row>
          <Row label={t('order.netPaidBy', { method })} testId="amount-net-paid" strong>
            {formatWon(amounts.payableAmount - refunded)}
          </Row>
        </>
      )}
    </Stack>
  );
}

function Row({
  label,
  children,
  testId,
  discount = false,
  strong = false,
}: {
  label: string;
  children: ReactNode;
  testId?: string;
  discount?: boolean;
  strong?: boolean;
}) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="md">
      <Text
        component="dt"
        size={strong ? 'md' : 'sm'}
        fw={strong ? 700 : 400}
        c={strong ? undefined : 'dimmed'}
      >
        {label}
      </Text>
      <Text
        component="dd"
        m={0}
        size={strong ? 'xl' : 'sm'}
        fw={strong ? 800 : 500}
        c={discount ? 'red.7' : undefined}
        data-testid={testId}
      >
        {children}
      </Text>
    </Group>
  );
}
