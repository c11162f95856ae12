import {
  Anchor,
  Card,
  Group,
  NativeSelect,
  Pagination,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { formatDateTime, formatWon } from '../../lib/format.ts';
import { pageParamValue, readPageIndex } from '../../lib/page-param.ts';
import {
  MY_ORDERS_PAGE_SIZE,
  myOrdersQuery,
  ORDER_STATUSES,
  type OrderStatus,
  type OrderSummary,
} from '../../orders/orders-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';

export function MyOrdersPage() {
  const [params, setParams] = useSearchParams();
  const status = ORDER_STATUSES.find((value) => value === params.get('status')) ?? '';
  const page = readPageIndex(params);
  const orders = useQuery(myOrdersQuery({ status, page, size: MY_ORDERS_PAGE_SIZE }));
  const result = orders.data;

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
          Orders
        </Title>
        <NativeSelect
          label="Status"
          value={status}
          onChange={(event) => change({ status: event.currentTarget.value as OrderStatus | '' })}
          data={[
            { value: '', label: 'All orders' },
            ...ORDER_STATUSES.map((value) => ({ value, label: value.replaceAll('_', ' ') })),
          ]}
        />
      </Group>
      {orders.isError && <ApiErrorAlert error={orders.error} onRetry={() => void orders.refetch()} />}
      <Card withBorder padding={0} opacity={orders.isPlaceholderData ? 0.6 : 1}>
        {orders.isPending ? (
          <Skeleton h={240} />
        ) : (
          result && <OrdersTable orders={result.content} filtered={!!status} />
        )}
      </Card>
      {result && result.totalPages > 1 && (
        <Group justify="center">
          <Pagination
            total={result.totalPages}
            value={result.page + 1}
            onChange={(oneBased) => change({ page: oneBased - 1 })}
            aria-label="Order pages"
          />
        </Group>
      )}
    </Stack>
  );
}

function OrdersTable({ orders, filtered }: { orders: OrderSummary[]; filtered: boolean }) {
  if (orders.length === 0) {
    return (
      <Stack p="lg" gap="xs">
        <Text c="dimmed">
          {filtered ? 'No orders with this status.' : 'You have not ordered anything yet.'}
        </Text>
        {!filtered && (
          <Anchor component={Link} to="/" size="sm">
            Start shopping
          </Anchor>
        )}
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="My orders">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Order</Table.Th>
            <Table.Th>Items</Table.Th>
            <Table.Th>Ordered</Table.Th>
            <Table.Th ta="right">Paid</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.map((order) => (
            <Table.Tr key={order.orderId}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/me/orders/${encodeURIComponent(order.orderId)}`}
                  fw={600}
                  ff="monospace"
                >
                  {order.orderNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>{order.orderName}</Table.Td>
              <Table.Td>{formatDateTime(order.createdAt)}</Table.Td>
              <Table.Td ta="right">{formatWon(order.payableAmount)}</Table.Td>
              <Table.Td>
                <OrderStatusBadge status={order.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
