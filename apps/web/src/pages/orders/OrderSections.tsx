import { Card, Grid, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { Order } from '../../orders/orders-api.ts';
import { DeliveryDetails } from './DeliveryDetails.tsx';
import { OrderAmounts } from './OrderAmounts.tsx';
import { OrderItemsTable } from './OrderItemsTable.tsx';
import { OrderPaymentsTable } from './OrderPaymentsTable.tsx';
import { OrderTimeline } from './OrderTimeline.tsx';

/**
 * Items, payments and timeline beside amounts and delivery; `aside` adds cards under the latter.
 * `admin` shows the service's timeline notes too.
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
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="lg">
          <Section id="items" title={t('order.items')}>
            <OrderItemsTable items={order.items} />
          </Section>
          <Section id="payments" title={t('order.payments')}>
            <OrderPaymentsTable payments={order.payments} refundedAmount={order.refundedAmount} />
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
              payableLabel={order.status === 'PAID' ? t('order.paid') : t('order.totalToPay')}
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
