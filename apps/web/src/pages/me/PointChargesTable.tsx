import { Badge, Button, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemCodeLabel } from '../../i18n/labels.ts';
import { formatDateTime, formatPoints, formatWon } from '../../lib/format.ts';
import {
  myChargesQuery,
  myPointsQueryPrefix,
  POINT_CHARGES_PAGE_SIZE,
  type PointCharge,
  type PointChargeStatus,
  refundCharge,
} from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { PagedResults } from '../../ui/PagedResults.tsx';

const STATUS_COLORS: Record<PointChargeStatus, string> = {
  PENDING: 'yellow',
  PAID: 'teal',
  FAILED: 'red',
  EXPIRED: 'gray',
  CANCELLED: 'gray',
  REFUND_REQUESTED: 'blue',
  REFUNDED: 'gray',
};

/**
 * My charges, newest first. The refund is offered only where user-service says the charge is
 * refundable (paid, and its points unspent: earned points never count, so the balance cannot tell),
 * and asked about first: it takes the points back at once.
 */
export function PointChargesTable() {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const [page, setPage] = useState(0);
  const [asking, setAsking] = useState<PointCharge | null>(null);
  const charges = useQuery(myChargesQuery({ page, size: POINT_CHARGES_PAGE_SIZE }));
  const refund = useMutation({
    mutationFn: (charge: PointCharge) => refundCharge(charge.chargeNumber),
    onSuccess: (charge) =>
      notifications.show({
        color: 'blue',
        message: t('pointsPage.refunding', { amount: formatWon(charge.amount) }),
      }),
    onSettled: () => {
      setAsking(null);
      return queryClient.invalidateQueries({ queryKey: myPointsQueryPrefix });
    },
  });

  return (
    <>
      <ConfirmDialog
        opened={asking !== null}
        title={t('pointsPage.refundTitle')}
        confirmLabel={t('pointsPage.refundConfirm')}
        danger
        loading={refund.isPending}
        onConfirm={() => asking && refund.mutate(asking)}
        onClose={() => setAsking(null)}
      >
        {asking &&
          t('pointsPage.refundText', {
            amount: formatWon(asking.amount),
            points: formatPoints(asking.amount),
          })}
      </ConfirmDialog>
      {/* Why in the web's words: the server's detail names the figures it compared, unformatted. */}
      {refund.isError && (
        <ApiErrorAlert
          error={refund.error}
          title={t('pointsPage.refundFailed')}
          message={problemCodeLabel(refund.error)}
        />
      )}
      <PagedResults query={charges} current={page} onPage={setPage} label={t('pointsPage.chargePages')}>
        {(content) =>
          content.length === 0 ? (
            <Text c="dimmed" p="md">
              {t('pointsPage.noCharges')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={280}>
              <Table striped aria-label={t('pointsPage.chargeList')}>
                <Table.Thead>
                  <Table.Tr>
                    {/* Date and status share a column: the row fits a phone, its refund button with it. */}
                    <Table.Th>
                      {t('pointsPage.date')} · {t('pointsPage.status')}
                    </Table.Th>
                    <Table.Th ta="right">{t('pointsPage.chargeAmount')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {content.map((charge) => {
                    return (
                      <Table.Tr key={charge.chargeId}>
                        <Table.Td>
                          <Stack gap={4} align="flex-start">
                            <Text size="sm">{formatDateTime(charge.createdAt)}</Text>
                            <Badge variant="light" color={STATUS_COLORS[charge.status] ?? 'gray'}>
                              {t(`status.pointCharge.${charge.status}`)}
                            </Badge>
                          </Stack>
                        </Table.Td>
                        <Table.Td ta="right">{formatWon(charge.amount)}</Table.Td>
                        <Table.Td ta="right">
                          {charge.status === 'PAID' && charge.refundable && (
                            <Button
                              size="compact-sm"
                              variant="default"
                              loading={refund.isPending && refund.variables?.chargeId === charge.chargeId}
                              onClick={() => {
                                refund.reset();
                                setAsking(charge);
                              }}
                              aria-label={t('pointsPage.refundOf', { amount: formatWon(charge.amount) })}
                            >
                              {t('pointsPage.refund')}
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
