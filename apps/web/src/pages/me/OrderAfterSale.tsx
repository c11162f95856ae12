import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatDateTime, formatWon } from '../../lib/format.ts';
import {
  CLAIM_REASON_LABELS,
  CLAIM_STATUS_LABELS,
  CLAIM_TYPE_LABELS,
  confirmPurchase,
  orderClaimsQuery,
} from '../../orders/after-sale-api.ts';
import { myOrderQuery, type Order } from '../../orders/orders-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

const AFTER_PAYMENT = new Set<Order['status']>(['PAID', 'SHIPPING', 'DELIVERED', 'RETURNED']);

/** 배송 · 구매확정 · 반품/교환 내역 of one of my orders (issue 10); nothing before payment. */
export function OrderAfterSale({ order }: { order: Order }) {
  const queryClient = useQueryClient();
  const claims = useQuery({ ...orderClaimsQuery(order.orderId), enabled: AFTER_PAYMENT.has(order.status) });
  const confirm = useMutation({
    mutationFn: () => confirmPurchase(order.orderId),
    onSuccess: async (done) => {
      notifications.show({
        color: 'teal',
        message: `구매를 확정했습니다.${done.pointsAwarded > 0 ? ` ${done.pointsAwarded.toLocaleString('ko-KR')}P가 적립됩니다.` : ''}`,
      });
      await queryClient.invalidateQueries({ queryKey: myOrderQuery(order.orderId).queryKey });
    },
  });
  if (!AFTER_PAYMENT.has(order.status)) return null;
  const confirmable = order.status === 'DELIVERED' && order.confirmedAt === null && order.openClaim === null;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="after-sale-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title id="after-sale-title" order={2} size="h4">
            배송 · 반품/교환
          </Title>
          {confirmable && (
            <Button size="sm" loading={confirm.isPending} onClick={() => confirm.mutate()}>
              구매확정
            </Button>
          )}
        </Group>
        <ApiErrorAlert error={confirm.error} title="구매확정을 하지 못했습니다" />
        <Text size="sm" data-testid="tracking-number">
          운송장 번호: {order.trackingNumber ?? '발급 전'}
        </Text>
        {order.deliveredAt && <Text size="sm">배송 완료: {formatDateTime(order.deliveredAt)}</Text>}
        {order.confirmedAt && <Text size="sm">구매확정: {formatDateTime(order.confirmedAt)}</Text>}
        {order.refundedAmount > 0 && (
          <Text size="sm" fw={600} data-testid="refunded-amount">
            환불된 금액: {formatWon(order.refundedAmount)}
          </Text>
        )}
        {claims.data && claims.data.claims.length > 0 && (
          <Stack gap="xs" aria-label="반품/교환 내역">
            {claims.data.claims.map((claim) => (
              <Card key={claim.id} withBorder padding="sm">
                <Group justify="space-between" wrap="wrap">
                  <Text fw={600}>
                    {CLAIM_TYPE_LABELS[claim.type]} · {CLAIM_REASON_LABELS[claim.reason]}
                  </Text>
                  <Badge variant="light">{CLAIM_STATUS_LABELS[claim.status]}</Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {claim.items
                    .map(
                      (i) => `${i.productName}${i.optionLabel ? ` (${i.optionLabel})` : ''} ${i.quantity}개`,
                    )
                    .join(', ')}
                </Text>
                {claim.type === 'RETURN' && (
                  <Text size="sm">
                    환불 금액 {formatWon(claim.refundAmount)}
                    {claim.feeAmount > 0 ? ` (반품 배송비 ${formatWon(claim.feeAmount)} 차감)` : ''}
                  </Text>
                )}
                {claim.rejectReason && (
                  <Text size="sm" c="red">
                    거절 사유: {claim.rejectReason}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  신청 {formatDateTime(claim.createdAt)}
                </Text>
              </Card>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
