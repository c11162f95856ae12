import { Alert, Anchor, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  type AdminOrderSummary,
  adminOrdersQuery,
  type StuckSaga,
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
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
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
  const columns: DataColumn<StuckSaga>[] = [
    {
      key: 'order',
      header: t('adminOrders.list.column.order'),
      phone: 'title',
      cell: (saga) => (
        <Anchor
          component={Link}
          to={`/admin/orders/${encodeURIComponent(saga.orderId)}`}
          size="sm"
          ff="monospace"
        >
          {saga.orderNumber}
        </Anchor>
      ),
    },
    {
      key: 'phase',
      header: t('adminOrders.stuck.column.phase'),
      cell: (saga) => (
        <>
          {t(`adminOrders.saga.phase.${saga.phase}`)}
          {saga.current && ` · ${sagaCallLabel(saga.current)}`}
        </>
      ),
    },
    {
      key: 'waiting',
      header: t('adminOrders.stuck.column.waiting'),
      cell: (saga) =>
        t('adminOrders.stuck.waiting', {
          minutes: formatCount(Math.round(saga.stuckForSeconds / 60)),
          attempts: formatCount(saga.attempts),
        }),
    },
    {
      key: 'error',
      header: t('adminOrders.stuck.column.error'),
      cell: (saga) => (
        <Text size="xs" c="dimmed" lineClamp={1}>
          {saga.lastError ?? '—'}
        </Text>
      ),
    },
  ];
  return (
    <Alert
      color="orange"
      variant="light"
      title={t('adminOrders.stuck.title', { total: formatCount(stuck.totalElements) })}
      role="status"
    >
      <DataTable
        label={t('adminOrders.stuck.table')}
        columns={columns}
        rows={stuck.content}
        rowKey={(saga) => saga.orderId}
        verticalSpacing={4}
      />
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
  const columns: DataColumn<AdminOrderSummary>[] = [
    {
      key: 'order',
      header: t('adminOrders.list.column.order'),
      phone: 'title',
      cell: (order) => (
        <Anchor
          component={Link}
          to={`/admin/orders/${encodeURIComponent(order.orderId)}`}
          state={{ listSearch: search } satisfies ListLocationState}
          fw={600}
          ff="monospace"
        >
          {order.orderNumber}
        </Anchor>
      ),
    },
    {
      key: 'items',
      header: t('adminOrders.list.column.items'),
      cell: (order) => (
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
      ),
    },
    {
      key: 'buyer',
      header: t('adminOrders.list.column.buyer'),
      cell: (order) => <BuyerLink userId={order.userId} buyer={order.buyer} />,
    },
    {
      key: 'ordered',
      header: t('adminOrders.list.column.ordered'),
      phone: 'date',
      cell: (order) => formatDateTime(order.createdAt),
    },
    {
      key: 'payable',
      header: t('adminOrders.list.column.payable'),
      align: 'right',
      phone: 'amount',
      cell: (order) => <OrderTotal order={order} size="sm" labelled={false} />,
    },
    {
      key: 'status',
      header: t('adminOrders.list.column.status'),
      phone: 'status',
      cell: (order) =>
        order.status === 'CANCELLED' && order.cancelReason ? (
          <Group gap={4} wrap="nowrap">
            <OrderStatusBadge status={order.status} />
            <Text size="xs" c="dimmed">
              {t(`adminOrders.list.cancelReason.${order.cancelReason}`)}
            </Text>
          </Group>
        ) : (
          <OrderStatusBadge status={order.status} />
        ),
    },
  ];
  return (
    <DataTable
      label={t('adminOrders.list.table')}
      columns={columns}
      rows={orders}
      rowKey={(order) => order.orderId}
      minWidth={860}
      highlightOnHover
      verticalSpacing="sm"
    />
  );
}
