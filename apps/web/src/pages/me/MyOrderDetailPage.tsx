import { Alert, Anchor, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { myCouponsQueryPrefix } from '../../coupons/coupons-api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useNotificationStatus } from '../../notifications/NotificationCenter.tsx';
import {
  cancelMyOrder,
  cancelReasonMessage,
  myOrderQuery,
  myOrdersQueryPrefix,
  type Order,
} from '../../orders/orders-api.ts';
import { pgCheckoutUrl } from '../../payments/pg-checkout.ts';
import { myPointsQueryPrefix } from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { OrderSections } from '../orders/OrderSections.tsx';
import { OrderAfterSale } from './OrderAfterSale.tsx';

/** Right after a payment the order changes within moments: look again a second apart, this many times. */
const AWAITING_PAYMENT_POLLS = 30;

function mayStillChange(order: Order | undefined, answers: number): boolean {
  if (order?.status === 'PENDING') return true;
  return order?.status === 'PAYMENT_PENDING' && answers < AWAITING_PAYMENT_POLLS;
}

export function MyOrderDetailPage() {
  const orderId = useParams().id ?? '';
  // Every change of the order is pushed (NotificationCenter refreshes it); polling is only the
  // fallback while the live connection is down.
  const live = useNotificationStatus() === 'online';
  const order = useQuery(myOrderQuery(orderId, live ? undefined : mayStillChange));

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/me/orders" size="sm">
        ← Back to orders
      </Anchor>
      {order.isPending && <Skeleton h={320} />}
      {order.isError && <ApiErrorAlert error={order.error} onRetry={() => void order.refetch()} />}
      {order.data && (
        <>
          <OrderHeader order={order.data} />
          <OrderAfterSale order={order.data} />
          <OrderSections order={order.data} />
        </>
      )}
    </Stack>
  );
}

function OrderHeader({ order }: { order: Order }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);

  const cancel = useMutation({
    mutationFn: () => cancelMyOrder(order.orderId),
    onSuccess: (updated) => {
      setConfirming(false);
      queryClient.setQueryData(myOrderQuery(order.orderId).queryKey, updated);
      notifications.show({ color: 'teal', message: `Order ${order.orderNumber} cancelled.` });
    },
    onError: () => setConfirming(false),
    onSettled: async () => {
      // Stock, the coupon and points come back: every view of them is stale.
      await queryClient.invalidateQueries({ queryKey: myOrdersQueryPrefix });
      await queryClient.invalidateQueries({ queryKey: myCouponsQueryPrefix });
      await queryClient.invalidateQueries({ queryKey: myPointsQueryPrefix });
    },
  });

  const payNow = () =>
    window.location.assign(
      pgCheckoutUrl({
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        amount: order.payableAmount,
        orderName: order.orderName,
      }),
    );

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={1} size="h2">
              Order {order.orderNumber}
            </Title>
            <span data-testid="order-status">
              <OrderStatusBadge status={order.status} />
            </span>
          </Group>
          <Text c="dimmed" size="sm">
            {order.orderName} · ordered {formatDateTime(order.createdAt)}
          </Text>
        </div>
        <Group>
          {order.status === 'PAYMENT_PENDING' && order.payableAmount > 0 && (
            <Button onClick={payNow}>Pay now</Button>
          )}
          {order.cancellable && (
            <Button variant="default" color="red" onClick={() => setConfirming(true)}>
              Cancel order
            </Button>
          )}
        </Group>
      </Group>
      <ApiErrorAlert error={cancel.error} title="Could not cancel the order" />
      <StatusNotice order={order} />
      <ConfirmDialog
        opened={confirming}
        title="Cancel this order?"
        confirmLabel="Cancel order"
        danger
        loading={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
      >
        {order.status === 'PAID'
          ? 'The payment is refunded in full, and your coupon and points are returned.'
          : 'Everything reserved for it (stock, coupon, points) is released.'}
      </ConfirmDialog>
    </Stack>
  );
}

function StatusNotice({ order }: { order: Order }) {
  switch (order.status) {
    case 'PENDING':
      return (
        <Alert color="blue" variant="light" title="Reserving your items…" role="status">
          This usually takes a moment; the page updates by itself.
        </Alert>
      );
    case 'PAYMENT_PENDING':
      return (
        <Alert color="yellow" variant="light" title="Waiting for payment" role="status">
          Your items (and any coupon and points) are reserved
          {order.paymentDueAt ? ` until ${formatDateTime(order.paymentDueAt)}` : ''}. Unpaid orders are
          cancelled automatically.
        </Alert>
      );
    case 'CANCELLED':
      return (
        <Alert color="red" variant="light" title="Cancelled" role="status">
          {cancelReasonMessage(order.cancelReason)}
          {order.cancelledAt && ` (${formatDateTime(order.cancelledAt)})`}
        </Alert>
      );
    case 'PAID':
      return null;
  }
}
