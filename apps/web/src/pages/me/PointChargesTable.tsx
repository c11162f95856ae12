import { Badge, Button, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime, formatWon } from '../../lib/format.ts';
import {
  myChargesQuery,
  myPointsQueryPrefix,
  POINT_CHARGES_PAGE_SIZE,
  type PointCharge,
  type PointChargeStatus,
  refundCharge,
} from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { PagedResults } from '../../ui/PagedResults.tsx';

const STATUS_LABELS: Record<PointChargeStatus, { label: string; color: string }> = {
  PENDING: { label: 'Awaiting payment', color: 'yellow' },
  PAID: { label: 'Charged', color: 'teal' },
  FAILED: { label: 'Payment failed', color: 'red' },
  REFUND_REQUESTED: { label: 'Refunding', color: 'blue' },
  REFUNDED: { label: 'Refunded', color: 'gray' },
};

/** My charges, newest first; a charged one can be refunded while its points are unused. */
export function PointChargesTable() {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(0);
  const charges = useQuery(myChargesQuery({ page, size: POINT_CHARGES_PAGE_SIZE }));
  const refund = useMutation({
    mutationFn: (charge: PointCharge) => refundCharge(charge.chargeNumber),
    onSuccess: (charge) =>
      notifications.show({ color: 'blue', message: `${formatWon(charge.amount)} is being refunded.` }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: myPointsQueryPrefix }),
  });

  return (
    <>
      {refund.isError && <ApiErrorAlert error={refund.error} title="Refund not possible" />}
      <PagedResults query={charges} current={page} onPage={setPage} label="Charge pages">
        {(content) =>
          content.length === 0 ? (
            <Text c="dimmed" p="md">
              No charges yet.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table striped aria-label="Point charges">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {content.map((charge) => {
                    const status = STATUS_LABELS[charge.status] ?? { label: charge.status, color: 'gray' };
                    return (
                      <Table.Tr key={charge.chargeId}>
                        <Table.Td>{formatDateTime(charge.createdAt)}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={status.color}>
                            {status.label}
                          </Badge>
                        </Table.Td>
                        <Table.Td ta="right">{formatWon(charge.amount)}</Table.Td>
                        <Table.Td ta="right">
                          {charge.status === 'PAID' && (
                            <Button
                              size="compact-sm"
                              variant="default"
                              loading={refund.isPending && refund.variables?.chargeId === charge.chargeId}
                              onClick={() => refund.mutate(charge)}
                              aria-label={`Refund ${formatWon(charge.amount)}`}
                            >
                              Refund
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </PagedResults>
    </>
  );
}
