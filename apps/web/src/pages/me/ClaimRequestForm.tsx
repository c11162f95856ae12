import {
  Alert,
  Box,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CatalogSku, productDetailQuery } from '../../catalog/catalog-api.ts';
import {
  CLAIM_REASONS,
  type Claim,
  type ClaimReason,
  type ClaimType,
  claimedUnits,
  reasonCostsFee,
  requestExchange,
  requestReturn,
} from '../../orders/after-sale-api.ts';
import { myOrdersQueryPrefix, type Order, type OrderLine, optionLabel } from '../../orders/orders-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

const DETAIL_MAX_LENGTH = 1000;

interface LineChoice {
  quantity: number;
  /** Exchanges: the option to send instead. */
  newSkuId: number | null;
}

/**
 * 반품 or 교환 신청: pick lines and how many of each (partial quantities too), the reason and, for an
 * exchange, the other option of the same product at the same price. The server has the last word
 * (window, open claim, stock); its refusal is shown as it gave it.
 */
export function ClaimRequestForm({
  order,
  type,
  claims,
  onClose,
}: {
  order: Order;
  type: ClaimType;
  claims: readonly Claim[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const claimed = claimedUnits(claims);
  const lines = order.items
    .map((line) => ({ line, left: line.quantity - (claimed.get(line.id) ?? 0) }))
    .filter(({ left }) => left > 0);
  const [chosen, setChosen] = useState<Map<number, LineChoice>>(new Map());
  const [reason, setReason] = useState<ClaimReason | null>(null);
  const [detail, setDetail] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  // An exchange offers the product's other options: the catalog's current SKUs of each product.
  const products = useQueries({
    queries:
      type === 'EXCHANGE'
        ? [...new Set(lines.map(({ line }) => line.productId))].map((id) => productDetailQuery(id))
        : [],
  });
  const skusOf = (productId: number): CatalogSku[] =>
    products.find((p) => p.data?.id === productId)?.data?.skus ?? [];

  const submit = useMutation({
    mutationFn: () => {
      const items = [...chosen].map(([orderItemId, choice]) => ({ orderItemId, ...choice }));
      const body = { reason: reason!, detail: detail.trim() || null };
      return type === 'RETURN'
        ? requestReturn(order.orderId, {
            ...body,
            items: items.map(({ orderItemId, quantity }) => ({ orderItemId, quantity })),
          })
        : requestExchange(order.orderId, {
            ...body,
            items: items.map(({ orderItemId, quantity, newSkuId }) => ({
              orderItemId,
              quantity,
              newSkuId: newSkuId!,
            })),
          });
    },
    onSuccess: async () => {
      notifications.show({
        color: 'teal',
        message: t(type === 'RETURN' ? 'claimForm.returnRequested' : 'claimForm.exchangeRequested'),
      });
      // The order (its open claim), its claims and its shipping view all changed.
      await queryClient.invalidateQueries({ queryKey: myOrdersQueryPrefix });
      onClose();
    },
  });

  // The form's complaint was about the choice as it stood: any change of it takes the complaint away.
  const toggle = (line: OrderLine, checked: boolean) => {
    setProblem(null);
    setChosen((current) => {
      const next = new Map(current);
      if (checked) next.set(line.id, { quantity: 1, newSkuId: null });
      else next.delete(line.id);
      return next;
    });
  };
  const change = (lineId: number, patch: Partial<LineChoice>) => {
    setProblem(null);
    setChosen((current) => {
      const choice = current.get(lineId);
      return choice ? new Map(current).set(lineId, { ...choice, ...patch }) : current;
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.size === 0) return setProblem(t('claimForm.noLines'));
    if (type === 'EXCHANGE' && [...chosen.values()].some((c) => c.newSkuId === null))
      return setProblem(t('claimForm.noOption'));
    if (!reason) return setProblem(t('claimForm.noReason'));
    setProblem(null);
    submit.mutate();
  };

  const title = t(type === 'RETURN' ? 'claimForm.returnTitle' : 'claimForm.exchangeTitle');
  return (
    <Box component="form" onSubmit={onSubmit} aria-label={title} maw={640} noValidate>
      <Stack gap="md">
        <Title order={3} size="h5">
          {title}
        </Title>
        {lines.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('claimForm.nothingLeft')}
          </Text>
        ) : (
          <Stack component="ul" gap="sm" m={0} p={0} aria-label={t('claimForm.lines')}>
            {lines.map(({ line, left }) => {
              const choice = chosen.get(line.id);
              const name = line.optionLabel ? `${line.productName} (${line.optionLabel})` : line.productName;
              return (
                <Box
                  component="li"
                  key={line.id}
                  style={{ listStyle: 'none' }}
                  p="sm"
                  bd="1px solid var(--mantine-color-gray-3)"
                  bdrs="sm"
                >
                  <Checkbox
                    label={name}
                    description={t('claimForm.left', { count: left })}
                    checked={choice !== undefined}
                    onChange={(event) => toggle(line, event.currentTarget.checked)}
                  />
                  {choice && (
                    <Group gap="sm" mt="sm" align="flex-end" wrap="wrap">
                      <NativeSelect
                        label={t('claimForm.quantity')}
                        aria-label={t('claimForm.quantityOf', { name })}
                        value={String(choice.quantity)}
                        onChange={(event) => change(line.id, { quantity: Number(event.currentTarget.value) })}
                        data={Array.from({ length: left }, (_, i) => String(i + 1))}
                        w={90}
                      />
                      {type === 'EXCHANGE' && (
                        <NewOptionSelect
                          line={line}
                          name={name}
                          quantity={choice.quantity}
                          skus={skusOf(line.productId)}
                          value={choice.newSkuId}
                          onChange={(newSkuId) => change(line.id, { newSkuId })}
                        />
                      )}
                    </Group>
                  )}
                </Box>
              );
            })}
          </Stack>
        )}

        <Radio.Group
          label={t('claimForm.reason')}
          value={reason}
          onChange={(value) => {
            setProblem(null);
            setReason(value as ClaimReason);
          }}
        >
          <Stack gap={6} mt={6}>
            {CLAIM_REASONS.map((member) => (
              <Radio key={member} value={member} label={t(`status.claimReason.${member}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <Text
          size="sm"
          c={reason && reasonCostsFee(type, reason) ? 'orange.8' : 'dimmed'}
          data-testid="claim-fee-note"
        >
          {type === 'EXCHANGE'
            ? t('claimForm.exchangeFreeNote')
            : reason && !reasonCostsFee(type, reason)
              ? t('claimForm.freeNote')
              : t('claimForm.feeNote')}
        </Text>
        <Textarea
          label={t('claimForm.detail')}
          placeholder={t('claimForm.detailPlaceholder')}
          value={detail}
          onChange={(event) => setDetail(event.currentTarget.value)}
          maxLength={DETAIL_MAX_LENGTH}
          autosize
          minRows={2}
        />
        {problem && (
          <Alert color="orange" variant="light" role="alert">
            {problem}
          </Alert>
        )}
        <ApiErrorAlert
          error={submit.error}
          title={t(type === 'RETURN' ? 'claimForm.returnFailed' : 'claimForm.exchangeFailed')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={submit.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={submit.isPending} disabled={lines.length === 0}>
            {t(type === 'RETURN' ? 'claimForm.submitReturn' : 'claimForm.submitExchange')}
          </Button>
        </Group>
      </Stack>
    </Box>
  );
}

/** The product's other options at the line's price; one without enough stock is shown but not offered. */
function NewOptionSelect({
  line,
  name,
  quantity,
  skus,
  value,
  onChange,
}: {
  line: OrderLine;
  name: string;
  quantity: number;
  skus: CatalogSku[];
  value: number | null;
  onChange: (skuId: number | null) => void;
}) {
  const { t } = useTranslation();
  const others = skus.filter(
    (sku) => sku.id !== line.skuId && sku.price === line.unitPrice && sku.status !== 'INACTIVE',
  );
  if (others.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('claimForm.noOtherOption')}
      </Text>
    );
  }
  return (
    <NativeSelect
      label={t('claimForm.newOption')}
      aria-label={t('claimForm.newOptionOf', { name })}
      value={value === null ? '' : String(value)}
      onChange={(event) => onChange(event.currentTarget.value ? Number(event.currentTarget.value) : null)}
      data={[
        { value: '', label: t('claimForm.chooseOption') },
        ...others.map((sku) => {
          const label = optionLabel(sku.options);
          const soldOut = sku.status === 'SOLD_OUT' || sku.stock < quantity;
          return {
            value: String(sku.id),
            label: soldOut ? t('claimForm.soldOut', { option: label }) : label,
            disabled: soldOut,
          };
        }),
      ]}
      style={{ flex: 1, minWidth: 160 }}
    />
  );
}
