import { Alert, Anchor, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
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
import { formatDateTime, formatWon } from '../../lib/format.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../orders/orders-api.ts';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import { BuyerLink } from './BuyerLink.tsx';
import { type ListLocationState, ListSearchBox } from './ListSearchBox.tsx';

export function OrdersPage() {
  const [params, setParams] = useSearchParams();
  const search = parseAdminOrderSearch(params);
  const orders = useQuery(adminOrdersQuery(search));
  const changeSearch = (change: Partial<AdminOrderSearch>) =>
    setParams(adminOrderSearchParams({ ...search, page: 0, ...change }));
  const result = orders.data;

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Orders
      </Title>
      <StuckSagas />

      <Group align="flex-end" gap="sm" wrap="wrap">
        <ListSearchBox
          key={search.orderNumber}
          initial={search.orderNumber}
          label="Search orders"
          placeholder="ORD-20250101-…"
          onSearch={(orderNumber) => changeSearch({ orderNumber })}
        />
        <ListSearchBox
          key={`buyer:${search.buyer}`}
          initial={search.buyer}
          label="Search by buyer"
          fieldLabel="Buyer"
          placeholder="E-mail or name"
          onSearch={(buyer) => changeSearch({ buyer })}
        />
        <NativeSelect
          label="Status"
          value={search.status}
          onChange={(event) => changeSearch({ status: event.currentTarget.value as OrderStatus | '' })}
          data={[
            { value: '', label: 'All statuses' },
            ...ORDER_STATUSES.map((value) => ({ value, label: value.replaceAll('_', ' ') })),
          ]}
        />
        <ResultCount page={result} noun={['order', 'orders']} />
      </Group>

      <PagedResults
        query={orders}
        label="Order list pages"
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
  const stuck = useQuery(stuckSagasQuery);
  const sagas = stuck.data?.content ?? [];
  if (sagas.length === 0) return null;
  return (
    <Alert color="orange" variant="light" title={`${stuck.data?.totalElements} stuck sagas`} role="status">
      <Table verticalSpacing={4} aria-label="Stuck sagas">
        <Table.Tbody>
          {sagas.map((saga) => (
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
                {saga.phase}
                {saga.current && ` · ${saga.current.kind} ${saga.current.step}`}
              </Table.Td>
              <Table.Td>
                {Math.round(saga.stuckForSeconds / 60)} min, {saga.attempts} attempts
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
  const { search } = useLocation();
  if (orders.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        No orders match these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Orders">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Order</Table.Th>
            <Table.Th>Items</Table.Th>
            <Table.Th>Buyer</Table.Th>
            <Table.Th>Ordered</Table.Th>
            <Table.Th ta="right">Payable</Table.Th>
            <Table.Th>Status</Table.Th>
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
              <Table.Td>{order.orderName}</Table.Td>
              <Table.Td>
                <BuyerLink userId={order.userId} buyer={order.buyer} />
              </Table.Td>
              <Table.Td>{formatDateTime(order.createdAt)}</Table.Td>
              <Table.Td ta="right">{formatWon(order.payableAmount)}</Table.Td>
              <Table.Td>
                {order.status === 'CANCELLED' && order.cancelReason ? (
                  <Group gap={4} wrap="nowrap">
                    <OrderStatusBadge status={order.status} />
                    <Text size="xs" c="dimmed">
                      {order.cancelReason}
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
