import { Anchor, Card, Group, NativeSelect, Pagination, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatDateTime } from '../../lib/format.ts';
import { pageParamValue, readPageIndex } from '../../lib/page-param.ts';
import { orderTitle } from '../../orders/order-summary.ts';
import {
  MY_ORDERS_PAGE_SIZE,
  myOrdersQuery,
  ORDER_STATUSES,
  type OrderStatus,
  type OrderSummary,
} from '../../orders/orders-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { CardList, CardListItem } from '../../ui/CardList.tsx';
import { OrderPicture } from '../../ui/OrderPicture.tsx';
import { isPastLastPage, PastLastPage } from '../../ui/PagedResults.tsx';
import { OrderTotal } from '../orders/OrderTotal.tsx';

/**
 * The statuses a shopper may filter by: not PENDING, order-service's moment of reserving stock, coupon
 * and points before an order awaits payment (it passes in seconds; the admin's list still offers it).
 */
const SHOPPER_FILTER_STATUSES = ORDER_STATUSES.filter((value) => value !== 'PENDING');

export function MyOrdersPage() {
  const [params, setParams] = useSearchParams();
  const status = SHOPPER_FILTER_STATUSES.find((value) => value === params.get('status')) ?? '';
  const page = readPageIndex(params);
  const orders = useQuery(myOrdersQuery({ status, page, size: MY_ORDERS_PAGE_SIZE }));
  const result = orders.data;
  const { t } = useTranslation();
  usePageTitle(t('title.myOrders'));

  const change = (next: { status?: OrderStatus | ''; page?: number }) => {
    const values = { status, page: 0, ...next };
    const search = new URLSearchParams();
    if (values.status) search.set('status', values.status);
    const pageValue = pageParamValue(values.page);
    if (pageValue) search.set('page', pageValue);
    setParams(search);
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('myOrders.title')}
        </Title>
        <NativeSelect
          label={t('myOrders.status')}
          value={status}
          onChange={(event) => change({ status: event.currentTarget.value as OrderStatus | '' })}
          data={[
            { value: '', label: t('myOrders.all') },
            ...SHOPPER_FILTER_STATUSES.map((value) => ({ value, label: t(`status.order.${value}`) })),
          ]}
        />
      </Group>
      {orders.isError && <ApiErrorAlert error={orders.error} onRetry={() => void orders.refetch()} />}
      <Card withBorder padding={0} opacity={orders.isPlaceholderData ? 0.6 : 1}>
        {orders.isPending ? (
          <Skeleton h={240} />
        ) : (
          result &&
          (isPastLastPage(result) ? (
            <PastLastPage onFirstPage={() => change({ page: 0 })} />
          ) : (
            <OrdersTable orders={result.content} filtered={!!status} />
          ))
        )}
      </Card>
      {result && result.totalPages > 1 && (
        <Group justify="center">
          <Pagination
            total={result.totalPages}
            value={result.page + 1}
            onChange={(oneBased) => change({ page: oneBased - 1 })}
            aria-label={t('myOrders.pages')}
          />
        </Group>
      )}
    </Stack>
  );
}

function OrdersTable({ orders, filtered }: { orders: OrderSummary[]; filtered: boolean }) {
  const { t } = useTranslation();
  if (orders.length === 0) {
    return (
      <Stack p="lg" gap="xs">
        <Text c="dimmed">{filtered ? t('myOrders.none') : t('myOrders.noneYet')}</Text>
        {!filtered && (
          <Anchor component={Link} to="/" size="sm">
            {t('myOrders.startShopping')}
          </Anchor>
        )}
      </Stack>
    );
  }
  // One card per order (the first product's picture, uploaded or drawn from its name, date, name, units,
  // status, amount): readable at 390 px, no sideways scrolling.
  return (
    <CardList label={t('myOrders.list')}>
      {orders.map((order) => (
        <CardListItem key={order.orderId} padding="md" testId="my-order">
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
            <Group wrap="nowrap" align="flex-start" gap="sm" style={{ minWidth: 0 }}>
              <OrderPicture url={order.thumbnailUrl} productName={order.firstProductName} size={56} />
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed">
                  {formatDateTime(order.createdAt)}
                </Text>
                <Anchor
                  component={Link}
                  to={`/me/orders/${encodeURIComponent(order.orderId)}`}
                  fw={600}
                  lineClamp={2}
                >
                  {orderTitle(order)}
                </Anchor>
                <Text size="xs" c="dimmed" data-testid="order-quantity">
                  {t('order.quantity', { count: order.totalQuantity })}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {t('myOrders.order')} {order.orderNumber}
                </Text>
              </Stack>
            </Group>
            <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
              <OrderStatusBadge status={order.status} />
              <OrderTotal order={order} />
            </Stack>
          </Group>
        </CardListItem>
      ))}
    </CardList>
  );
}
