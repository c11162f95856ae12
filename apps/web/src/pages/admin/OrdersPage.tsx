import { Alert, Anchor, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  type AdminOrderSummary,
  adminOrdersQuery,
  stuckSagasQuery,
} from '../../admin-orders/admin-orders-api.ts';
import {
  type AdminOrderSearch,
  adminOrderSearchParams,
  parseAdminOrderSearch,
} from '../../admin-orders/order-search.ts';
import { sagaCallLabel } from '../../admin-orders/saga-labels.ts';
import { formatCount, formatDateTime } from '../../lib/format.ts';
import { orderTitle } from '../../orders/order-summary.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../orders/orders-api.ts';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { OrderPicture } from '../../ui/OrderPicture.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import { OrderTotal } from '../orders/OrderTotal.tsx';
import { BuyerLink } from './BuyerLink.tsx';
import { type ListLocationState, ListSearchBox } from './ListSearchBox.tsx';

export function OrdersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = parseAdminOrderSearch(params);
  const orders = useQuery(adminOrdersQuery(search));
  const changeSearch = (change: Partial<AdminOrderSearch>) =>
    setParams(adminOrderSearchParams({ ...search, page: 0, ...change }));
  const result = orders.data;

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('adminOrders.list.title')}
      </Title>
      <StuckSagas />

      <Group align="flex-end" gap="sm" wrap="wrap">
        <ListSearchBox
          key={search.orderNumber}
          initial={search.orderNumber}
          label={t('adminOrders.list.searchOrders')}
          fieldLabel={t('adminOrders.list.orderNumber')}
          placeholder={t('adminOrders.list.orderNumberPlaceholder')}
          onSearch={(orderNumber) => changeSearch({ orderNumber })}
        />
        <ListSearchBox
          key={`buyer:${search.buyer}`}
          initial={search.buyer}
          label={t('adminOrders.list.searchBuyer')}
          fieldLabel={t('adminOrders.list.buyer')}
          placeholder={t('adminOrders.list.buyerPlaceholder')}
          onSearch={(buyer) => changeSearch({ buyer })}
        />
        <NativeSelect
          label={t('adminOrders.list.status')}
          value={search.status}
          onChange={(event) => changeSearch({ status: event.currentTarget.value as OrderStatus | '' })}
          data={[
            { value: '', label: t('adminOrders.list.allStatuses') },
            ...ORDER_STATUSES.map((value) => ({ value, label: t(`status.order.${value}`) })),
          ]}
        />
        <ResultCount
          page={result}
          words={(count, total) =>
            t(count === 1 ? 'adminOrders.list.countOne' : 'adminOrders.list.countOther', { total })
          }
        />
      </Group>

      <PagedResults
        query={orders}
        label={t('adminOrders.list.pages')}
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <OrdersTable orders={rows} />}
      </PagedResults>
    </Stack>
  );
}

/** Sagas left in a transient phase too long; only shown when there are some. */
function StuckSagas() {
  const { t } = useTranslation();
  const stuck = useQuery(stuckSagasQuery).data;
  if (!stuck || stuck.content.length === 0) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      title={t('adminOrders.stuck.title', { total: formatCount(stuck.totalElements) })}
      role="status"
    >
      <Table verticalSpacing={4} aria-label={t('adminOrders.stuck.table')}>
        <Table.Tbody>
          {stuck.content.map((saga) => (
            <Table.Tr key={saga.orderId}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/admin/orders/${encodeURIComponent(saga.orderId)}`}
                  size="sm"
                  ff="monospace"
                >
                  {saga.orderNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {t(`adminOrders.saga.phase.${saga.phase}`)}
                {saga.current && ` · ${sagaCallLabel(saga.current)}`}
              </Table.Td>
              <Table.Td>
                {t('adminOrders.stuck.waiting', {
                  minutes: formatCount(Math.round(saga.stuckForSeconds / 60)),
                  attempts: formatCount(saga.attempts),
                })}
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {saga.lastError ?? '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Alert>
  );
}

function OrdersTable({ orders }: { orders: AdminOrderSummary[] }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  if (orders.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminOrders.list.none')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm" aria-label={t('adminOrders.list.table')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('adminOrders.list.column.order')}</Table.Th>
            <Table.Th>{t('adminOrders.list.column.items')}</Table.Th>
            <Table.Th>{t('adminOrders.list.column.buyer')}</Table.Th>
            <Table.Th>{t('adminOrders.list.column.ordered')}</Table.Th>
            <Table.Th ta="right">{t('adminOrders.list.column.payable')}</Table.Th>
            <Table.Th>{t('adminOrders.list.column.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.map((order) => (
            <Table.Tr key={order.orderId}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/admin/orders/${encodeURIComponent(order.orderId)}`}
                  state={{ listSearch: search } satisfies ListLocationState}
                  fw={600}
                  ff="monospace"
                >
                  {order.orderNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <OrderPicture url={order.thumbnailUrl} productName={order.firstProductName} size={36} />
                  <Stack gap={0}>
                    <Text size="sm" data-testid="order-name">
                      {orderTitle(order)}
                    </Text>
                    <Text size="xs" c="dimmed" data-testid="order-quantity">
                      {t('order.quantity', { count: order.totalQuantity })}
                    </Text>
                  </Stack>
                </Group>
              </Table.Td>
              <Table.Td>
                <BuyerLink userId={order.userId} buyer={order.buyer} />
              </Table.Td>
              <Table.Td>{formatDateTime(order.createdAt)}</Table.Td>
              <Table.Td ta="right">
                <OrderTotal order={order} size="sm" labelled={false} />
              </Table.Td>
              <Table.Td>
                {order.status === 'CANCELLED' && order.cancelReason ? (
                  <Group gap={4} wrap="nowrap">
                    <OrderStatusBadge status={order.status} />
                    <Text size="xs" c="dimmed">
                      {t(`adminOrders.list.cancelReason.${order.cancelReason}`)}
                    </Text>
                  </Group>
                ) : (
                  <OrderStatusBadge status={order.status} />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
