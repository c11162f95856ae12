import { Anchor, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { adminPaymentsQuery } from '../../admin-payments/admin-payments-api.ts';
import {
  type AdminPaymentSearch,
  adminPaymentSearchParams,
  parseAdminPaymentSearch,
} from '../../admin-payments/payment-search.ts';
import { formatDateTime, formatWon } from '../../lib/format.ts';
import { PAYMENT_STATUSES, type Payment, type PaymentStatus } from '../../payments/payments-api.ts';
import { PaymentStatusBadge } from '../../ui/badges.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import { ListSearchBox } from './ListSearchBox.tsx';

export function PaymentsPage() {
  const [params, setParams] = useSearchParams();
  const search = parseAdminPaymentSearch(params);
  const payments = useQuery(adminPaymentsQuery(search));
  const changeSearch = (change: Partial<AdminPaymentSearch>) =>
    setParams(adminPaymentSearchParams({ ...search, page: 0, ...change }));
  const result = payments.data;

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Payments
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <ListSearchBox
          key={search.orderNumber}
          initial={search.orderNumber}
          label="Search payments"
          placeholder="Order number"
          onSearch={(orderNumber) => changeSearch({ orderNumber })}
        />
        <NativeSelect
          label="Status"
          value={search.status}
          onChange={(event) => changeSearch({ status: event.currentTarget.value as PaymentStatus | '' })}
          data={[{ value: '', label: 'All statuses' }, ...PAYMENT_STATUSES]}
        />
        <ResultCount page={result} noun={['payment', 'payments']} />
      </Group>

      <PagedResults
        query={payments}
        label="Payment list pages"
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <PaymentsTable payments={rows} />}
      </PagedResults>
    </Stack>
  );
}

function PaymentsTable({ payments }: { payments: Payment[] }) {
  if (payments.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        No payments match these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Payments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Created</Table.Th>
            <Table.Th>Order</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {payments.map((payment) => (
            <Table.Tr key={payment.paymentId}>
              <Table.Td>{formatDateTime(payment.createdAt)}</Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/admin/orders/${encodeURIComponent(payment.orderId)}`}
                  ff="monospace"
                  fw={600}
                >
                  {payment.orderNumber}
                </Anchor>
                <Text size="xs" c="dimmed" ff="monospace" title="PG payment key">
                  {payment.paymentKey}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatWon(payment.amount)}</Table.Td>
              <Table.Td>
                <PaymentStatusBadge status={payment.status} />
              </Table.Td>
              <Table.Td>{payment.method ?? '—'}</Table.Td>
              <Table.Td>
                <PaymentDetails payment={payment} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PaymentDetails({ payment }: { payment: Payment }) {
  if (payment.status === 'FAILED') {
    return (
      <Text size="sm">
        {payment.failureMessage ?? 'Failed'}
        {payment.failureCode && (
          <Text span size="xs" c="dimmed">
            {' '}
            ({payment.failureCode})
          </Text>
        )}
      </Text>
    );
  }
  if (payment.status === 'REFUNDED') {
    return (
      <Text size="sm">
        Refunded {formatDateTime(payment.refundedAt)}
        {payment.refundReason ? ` (${payment.refundReason})` : ''}
      </Text>
    );
  }
  if (payment.refundRequested) {
    return (
      <Text size="sm" c="orange.8">
        Refund in progress{payment.refundReason ? ` (${payment.refundReason})` : ''}
      </Text>
    );
  }
  if (payment.status === 'APPROVED' && payment.refundedAmount > 0) {
    // Returns refund part of a payment through the PG, one refund per return.
    return (
      <Text size="sm" data-testid="payment-refunded">
        Approved {formatDateTime(payment.approvedAt)}; {formatWon(payment.refundedAmount)} refunded (
        {payment.refunds.length} {payment.refunds.length === 1 ? 'return' : 'returns'})
      </Text>
    );
  }
  if (payment.status === 'APPROVED')
    return <Text size="sm">Approved {formatDateTime(payment.approvedAt)}</Text>;
  return (
    <Text size="sm" c="dimmed">
      Waiting for the PG
    </Text>
  );
}
