import { Card, Grid, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Order } from '../../orders/orders-api.ts';
import { DeliveryDetails } from './DeliveryDetails.tsx';
import { OrderAmounts } from './OrderAmounts.tsx';
import { OrderItemsTable } from './OrderItemsTable.tsx';
import { OrderPaymentsTable } from './OrderPaymentsTable.tsx';
import { OrderTimeline } from './OrderTimeline.tsx';

/** Items, payments and timeline beside amounts and delivery; `aside` adds cards under the latter. */
export function OrderSections({ order, aside }: { order: Order; aside?: ReactNode }) {
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="lg">
          <Section title="Items">
            <OrderItemsTable items={order.items} />
          </Section>
          <Section title="Payments">
            <OrderPaymentsTable payments={order.payments} />
          </Section>
          <Section title="Timeline">
            <OrderTimeline entries={order.timeline} />
          </Section>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="lg">
          <Section title="Amounts">
            <OrderAmounts amounts={order} payableLabel={order.status === 'PAID' ? 'Paid' : 'Total to pay'} />
          </Section>
          <Section title="Delivery">
            <DeliveryDetails delivery={order.delivery} />
          </Section>
          {aside}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}`;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Title id={id} order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}
