import { Alert, Anchor, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isNotFoundError } from '../../api/api-error.ts';
import { cart } from '../../cart/cart-store.ts';
import { chatPanel } from '../../chat/chat-panel.ts';
import { myCouponsQueryPrefix } from '../../coupons/coupons-api.ts';
import { cancelReasonLabel } from '../../i18n/labels.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLiveOrderUpdates } from '../../notifications/NotificationCenter.tsx';
import {
  orderShippingQuery,
  PARCEL_POLL_MS,
  parcelOnItsWay,
  parcelPickedUp,
} from '../../orders/after-sale-api.ts';
import { completePaidCheckout } from '../../orders/checkout-draft.ts';
import { orderTitle } from '../../orders/order-summary.ts';
import {
  cancelMyOrder,
  myOrderQuery,
  myOrderQueryKey,
  myOrdersQueryPrefix,
  ORDER_POLL_MS,
  type Order,
} from '../../orders/orders-api.ts';
import { pgCheckoutUrl } from '../../payments/pg-checkout.ts';
import { myPointsQueryPrefix } from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { OrderNotFound } from '../orders/OrderNotFound.tsx';
import { OrderSections } from '../orders/OrderSections.tsx';
import { OrderAfterSale } from './OrderAfterSale.tsx';

/** Right after a payment the order changes within moments: look again a second apart, this many times. */
const AWAITING_PAYMENT_POLLS = 30;

function mayStillChange(order: Order | undefined, answers: number): boolean {
  if (order?.status === 'PENDING') return true;
  return order?.status === 'PAYMENT_PENDING' && answers < AWAITING_PAYMENT_POLLS;
}

/**
 * The saga's steps are pushed (NotificationCenter refreshes the order): polling for them is only the
 * fallback while the live connection is down. The parcel's pickup and transit are not pushed, so a
 * paid order is looked at again now and then until it is delivered.
 */
function pollInterval(order: Order | undefined, answers: number, live: boolean): number | false {
  if (!live && mayStillChange(order, answers)) return ORDER_POLL_MS;
  return order && parcelOnItsWay(order.status) ? PARCEL_POLL_MS : false;
}

export function MyOrderDetailPage() {
  const orderId = useParams().id ?? '';
  // A (re)connect of the live connection reads the order once more.
  const live = useLiveOrderUpdates(myOrderQueryKey(orderId));
  const order = useQuery({
    ...myOrderQuery(orderId),
    refetchInterval: (query) => pollInterval(query.state.data, query.state.dataUpdateCount, live),
    refetchIntervalInBackground: false,
  });
  const { t } = useTranslation();
  usePageTitle(order.data ? t('title.order', { number: order.data.orderNumber }) : t('title.myOrders'));
  // The shopper may have left the payment result page before it saw the order paid: here it is seen.
  const seen = order.data;
  useEffect(() => {
    if (seen) completePaidCheckout(seen, cart);
  }, [seen]);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/me/orders" size="sm">
        {t('order.backToOrders')}
      </Anchor>
      {order.isPending && <Skeleton h={320} />}
      {order.isError &&
        (isNotFoundError(order.error) ? (
          <OrderNotFound />
        ) : (
          <ApiErrorAlert error={order.error} onRetry={() => void order.refetch()} />
        ))}
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
  const { t } = useTranslation();
  // The order stays PAID until the parcel is in transit, but once the courier picked it up
  // shipping-service refuses the cancel: its tracking (which OrderAfterSale keeps fresh) says so first.
  const shipping = useQuery({ ...orderShippingQuery(order.orderId), enabled: order.status === 'PAID' });
  const cancellable = order.cancellable && !parcelPickedUp(shipping.data);

  const cancel = useMutation({
    mutationFn: () => cancelMyOrder(order.orderId),
    onSuccess: (updated) => {
      setConfirming(false);
      queryClient.setQueryData(myOrderQuery(order.orderId).queryKey, updated);
      notifications.show({ color: 'teal', message: t('order.cancelled', { number: order.orderNumber }) });
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
              {t('title.order', { number: order.orderNumber })}
            </Title>
            <span data-testid="order-status">
              <OrderStatusBadge status={order.status} />
            </span>
          </Group>
          <Text c="dimmed" size="sm">
            {t('order.orderedAt', { name: orderTitle(order), date: formatDateTime(order.createdAt) })}
          </Text>
        </div>
        <Group>
          <Button variant="light" onClick={() => chatPanel.open(order.orderId)}>
            {t('chat.widget.askAboutOrder')}
          </Button>
          {order.status === 'PAYMENT_PENDING' && order.payableAmount > 0 && (
            <Button onClick={payNow}>{t('order.payNow')}</Button>
          )}
          {cancellable && (
            <Button variant="default" color="red" onClick={() => setConfirming(true)}>
              {t('order.cancel')}
            </Button>
          )}
        </Group>
      </Group>
      <ApiErrorAlert error={cancel.error} title={t('order.cancelFailed')} />
      <StatusNotice order={order} />
      <ConfirmDialog
        opened={confirming}
        title={t('order.cancelConfirmTitle')}
        confirmLabel={t('order.cancel')}
        danger
        loading={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
      >
        <span data-testid="cancel-gives-back">
          {order.status === 'PAID'
            ? t(`order.cancelPaid.${paidCancelGivesBack(order)}`)
            : t(`order.cancelUnpaid.${heldByOrder(order)}`)}
        </span>
      </ConfirmDialog>
    </Stack>
  );
}

/**
 * What an order holds besides its items: a coupon (its saga reserves one whenever couponId is set, even
 * one that discounted nothing), points, both or neither.
 */
function couponAndPoints(order: Order): 'none' | 'coupon' | 'points' | 'both' {
  const coupon = order.couponId !== null;
  const points = order.pointsUsed > 0;
  if (coupon && points) return 'both';
  if (coupon) return 'coupon';
  return points ? 'points' : 'none';
}

const HELD = {
  none: 'items',
  coupon: 'itemsCoupon',
  points: 'itemsPoints',
  both: 'itemsCouponPoints',
} as const;

/** What an unpaid order holds: its items, and its coupon and points if it used them. */
function heldByOrder(order: Order): (typeof HELD)[keyof typeof HELD] {
  return HELD[couponAndPoints(order)];
}

/** What cancelling a paid order gives back: the PG payment if there was one (not for points or discounts alone). */
const GIVEN_BACK = {
  refund: { none: 'refund', coupon: 'refundCoupon', points: 'refundPoints', both: 'refundCouponPoints' },
  noRefund: { none: 'nothing', coupon: 'coupon', points: 'points', both: 'couponPoints' },
} as const;

function paidCancelGivesBack(order: Order) {
  return GIVEN_BACK[order.payableAmount > 0 ? 'refund' : 'noRefund'][couponAndPoints(order)];
}

function StatusNotice({ order }: { order: Order }) {
  const { t } = useTranslation();
  switch (order.status) {
    case 'PENDING':
      return (
        <Alert color="blue" variant="light" title={t('order.reserving')} role="status">
          {t('order.reservingText')}
        </Alert>
      );
    case 'PAYMENT_PENDING':
      return (
        <Alert color="yellow" variant="light" title={t('order.awaitingPayment')} role="status">
          {t('order.awaitingPaymentText', {
            held: t(`order.held.${heldByOrder(order)}`),
            until: order.paymentDueAt ? t('order.until', { date: formatDateTime(order.paymentDueAt) }) : '',
          })}
        </Alert>
      );
    case 'CANCELLED':
      return (
        <Alert color="red" variant="light" title={t('order.cancelledTitle')} role="status">
          {cancelReasonLabel(order.cancelReason)}
          {order.cancelledAt && ` (${formatDateTime(order.cancelledAt)})`}
          {order.cancelNote && (
            <Text size="sm" mt={4}>
              {t('order.sellerNote', { note: order.cancelNote })}
            </Text>
          )}
        </Alert>
      );
    case 'PAID':
      return null;
  }
}
