import { Table, Text } from '@mantine/core';
import { formatDateTime, formatWon } from '../../lib/format.ts';
import type { OrderPaymentEntry } from '../../orders/orders-api.ts';
import { PaymentStatusBadge } from '../../ui/badges.tsx';

/** The payments order-service heard of for this order (approved, failed, refunded). */
export function OrderPaymentsTable({ payments }: { payments: OrderPaymentEntry[] }) {
  if (payments.length === 0) return <Text c="dimmed">No payment yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" aria-label="Payments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {payments.map((payment) => (
            <Table.Tr key={payment.paymentId}>
              <Table.Td>
                <PaymentStatusBadge status={payment.status} />
              </Table.Td>
              <Table.Td ta="right">{formatWon(payment.amount)}</Table.Td>
              <Table.Td>{payment.method ?? '—'}</Table.Td>
              <Table.Td>
                {formatDateTime(payment.refundedAt ?? payment.failedAt ?? payment.approvedAt)}
              </Table.Td>
              <Table.Td>
                {payment.message ? (
                  <Text size="sm">
                    {payment.message}
                    {payment.code && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({payment.code})
                      </Text>
                    )}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
