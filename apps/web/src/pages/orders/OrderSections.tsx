import { Card, Grid, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { orderClaimsQuery } from '../../orders/after-sale-api.ts';
import { claimsByLine, isPaid } from '../../orders/order-summary.ts';
import type { Order } from '../../orders/orders-api.ts';
import { DeliveryDetails } from './DeliveryDetails.tsx';
import { OrderAmounts } from './OrderAmounts.tsx';
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
              refundedAmount={order.refundedAmount}
              pointsUsed={order.pointsUsed}
              paidAt={paid ? order.paidAt : null}
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
            <OrderAmounts
              amounts={order}
              // Paid, whatever happened after (shipping, delivery, returns): never "to pay".
              payableLabel={paid ? t('order.paid') : t('order.totalToPay')}
              refundedAmount={order.refundedAmount}
            />
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
