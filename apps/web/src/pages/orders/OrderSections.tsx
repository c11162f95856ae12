import { Card, Grid, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { orderClaimsQuery } from '../../orders/after-sale-api.ts';
import { claimsByLine, isPaid, returnsRefunded } from '../../orders/order-summary.ts';
import type { Order } from '../../orders/orders-api.ts';
import { DeliveryDetails } from './DeliveryDetails.tsx';
import { type AmountsStanding, OrderAmounts } from './OrderAmounts.tsx';
import { OrderItemsTable } from './OrderItemsTable.tsx';
import { OrderPaymentsTable } from './OrderPaymentsTable.tsx';
import { OrderTimeline } from './OrderTimeline.tsx';

/**
 * Items, payments and timeline beside amounts and delivery; `aside` adds cards under the latter.
 * `admin` shows the service's timeline notes too. The shopper's lines are marked with the units their
 * returns and exchanges took (shipping-service's claims, the query the after-sale card reads too).
 */
export function OrderSections({
  order,
  main,
  aside,
  admin = false,
}: {
  order: Order;
  /** More sections under the timeline, in the wide column (the admin's saga log). */
  main?: ReactNode;
  aside?: ReactNode;
  admin?: boolean;
}) {
  const { t } = useTranslation();
  const paid = isPaid(order.status);
  const standing = amountsStanding(order);
  const claims = useQuery({ ...orderClaimsQuery(order.orderId), enabled: paid && !admin });
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="lg">
          <Section id="items" title={t('order.items')}>
            <OrderItemsTable items={order.items} claims={claimsByLine(claims.data?.claims ?? [])} />
          </Section>
          <Section id="payments" title={t('order.payments')}>
            <OrderPaymentsTable
              payments={order.payments}
              returnsRefundedAmount={returnsRefunded(order)}
              pointsUsed={order.pointsUsed}
              paidAt={standing.kind === 'paid' ? order.paidAt : null}
              cancelledUnpaid={standing.kind === 'cancelledUnpaid'}
              pointsReturn={pointsReturn(order)}
            />
          </Section>
          <Section id="timeline" title={t('order.timeline')}>
            <OrderTimeline entries={order.timeline} showNotes={admin} />
          </Section>
          {main}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="lg">
          <Section id="amounts" title={t('order.amounts')}>
            <OrderAmounts amounts={order} standing={standing} />
          </Section>
          <Section id="delivery" title={t('order.delivery')}>
            <DeliveryDetails delivery={order.delivery} />
          </Section>
          {aside}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

/** The PG's method when order-service heard of none: payment-service records a card then. */
const DEFAULT_METHOD = '카드';

/**
 * Paid, whatever happened after (shipping, delivery, returns, a cancel that refunded it): never "to
 * pay", and what came back to the card since (returns and a cancel alike). A cancelled order that was
 * never paid shows what it came to.
 */
function amountsStanding(order: Order): AmountsStanding {
  if (isPaid(order.status) || (order.status === 'CANCELLED' && order.paidAt !== null)) {
    const taken = order.payments.find((payment) => payment.status !== 'FAILED' && payment.method);
    return { kind: 'paid', method: taken?.method ?? DEFAULT_METHOD, refundedAmount: order.refundedAmount };
  }
  return order.status === 'CANCELLED' ? { kind: 'cancelledUnpaid' } : { kind: 'unpaid' };
}

/** Refusals of the saga's reservations: the points step never took the order's points (order-service's saga). */
const REFUSED_BEFORE_POINTS: ReadonlySet<Order['cancelReason']> = new Set([
  'OUT_OF_STOCK',
  'COUPON_UNAVAILABLE',
  'POINTS_INSUFFICIENT',
]);

/**
 * A cancelled order's points come back with its other reservations: paid, or held while it awaited
 * payment (any cancel but a refused reservation). Returned once the releases are done.
 */
function pointsReturn(order: Order): { returnedAt: string | null } | undefined {
  if (order.status !== 'CANCELLED' || order.pointsUsed <= 0) return undefined;
  if (order.paidAt === null && REFUSED_BEFORE_POINTS.has(order.cancelReason)) return undefined;
  const released = order.timeline.find((entry) => entry.event === 'RESERVATIONS_RELEASED');
  return { returnedAt: released?.at ?? null };
}

/** A titled card; `id` names it for assistive technology (titles are translated, ids are not). */
export function Section({ id: name, title, children }: { id: string; title: string; children: ReactNode }) {
  const id = `section-${name}`;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Title id={id} order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}
