import { Divider, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { formatWon } from '../../lib/format.ts';
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
 * The server's amounts, as a description list; nothing here is computed but the signs and, once
 * returns gave some back (`refundedAmount`, the order's), what the order paid net of it.
 */
export function OrderAmounts({
  amounts,
  payableLabel,
  refundedAmount = 0,
}: {
  amounts: Shown;
  payableLabel?: string;
  refundedAmount?: number;
}) {
  const { t } = useTranslation();
  return (
    <Stack component="dl" gap={6} m={0}>
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
      {amounts.pointsUsed > 0 && (
        <Row label={t('order.pointsUsed')} testId="amount-points" discount>
          −{formatWon(amounts.pointsUsed)}
        </Row>
      )}
      <Divider my={4} />
      {/* After a refund the net amount is the headline; the amount paid stays above it. */}
      <Row
        label={payableLabel ?? t('order.totalToPay')}
        testId="amount-payable"
        strong={refundedAmount === 0}
      >
        {formatWon(amounts.payableAmount)}
      </Row>
      {refundedAmount > 0 && (
        <>
          <Row label={t('order.refunded')} testId="amount-refunded" discount>
            −{formatWon(refundedAmount)}
          </Row>
          <Row label={t('order.netPaid')} testId="amount-net-paid" strong>
            {formatWon(amounts.payableAmount - refundedAmount)}
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
