import {
  Button,
  Card,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Pagination,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AdminProduct,
  type AdminSku,
  adjustStock,
  adminProductsQueryPrefix,
  type MovementFilter,
  STOCK_MOVEMENT_TYPES,
  type StockAdjustment,
  type StockMovement,
  type StockMovementType,
  stockMovementsQuery,
} from '../../admin-catalog/admin-products-api.ts';
import { rowLabel } from '../../admin-catalog/product-form.ts';
import { movementNote, signedCount } from '../../admin-catalog/stock-history.ts';
import { formatCount, formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { MovementTypeBadge, ProductStatusBadge } from './catalog-badges.tsx';

const HISTORY_PAGE_SIZE = 10;

/** Stock per SKU with an adjustment form (a reason is required), and the movement history. */
export function StockPanel({ product }: { product: AdminProduct }) {
  const { t } = useTranslation();
  const [adjusting, setAdjusting] = useState<AdminSku | null>(null);
  const skus = product.skus.filter((sku) => !sku.removed);
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="stock-title">
      <Stack gap="md">
        <Title id="stock-title" order={2} size="h4">
          {t('adminCatalog.stock.title')}
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" aria-label={t('adminCatalog.stock.table')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('adminCatalog.stock.sku')}</Table.Th>
                <Table.Th>{t('adminCatalog.stock.options')}</Table.Th>
                <Table.Th>{t('adminCatalog.stock.status')}</Table.Th>
                <Table.Th ta="right">{t('adminCatalog.stock.available')}</Table.Th>
                <Table.Th ta="right">{t('adminCatalog.stock.reserved')}</Table.Th>
                <Table.Th ta="right">{t('adminCatalog.stock.sold')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {skus.map((sku) => (
                <Table.Tr key={sku.id}>
                  <Table.Td ff="monospace" fz="sm">
                    {sku.skuCode}
                  </Table.Td>
                  <Table.Td>{rowLabel(product.optionGroups, sku.options)}</Table.Td>
                  <Table.Td>
                    <ProductStatusBadge status={sku.status} />
                  </Table.Td>
                  <Table.Td ta="right" fw={600} data-testid={`stock-${sku.skuCode}`}>
                    {formatCount(sku.stock)}
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(sku.reserved)}</Table.Td>
                  <Table.Td ta="right">{formatCount(sku.sold)}</Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => setAdjusting(sku)}
                      aria-label={t('adminCatalog.stock.adjustOf', { code: sku.skuCode })}
                    >
                      {t('adminCatalog.stock.adjust')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <MovementHistory product={product} />
      </Stack>
      <Modal
        opened={adjusting !== null}
        onClose={() => setAdjusting(null)}
        title={adjusting ? t('adminCatalog.stock.adjustOf', { code: adjusting.skuCode }) : ''}
        centered
      >
        {adjusting && (
          <AdjustmentForm
            key={adjusting.id}
            productId={product.id}
            sku={adjusting}
            onDone={() => setAdjusting(null)}
          />
        )}
      </Modal>
    </Card>
  );
}

function AdjustmentForm({
  productId,
  sku,
  onDone,
}: {
  productId: number;
  sku: AdminSku;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const typeLabelId = useId();
  const [type, setType] = useState<StockAdjustment['type']>('RESTOCK');
  const [quantity, setQuantity] = useState<string | number>('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ quantity?: string; reason?: string }>({});

  const adjust = useMutation({
    mutationFn: (adjustment: StockAdjustment) => adjustStock(productId, sku.id, adjustment),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: [...adminProductsQueryPrefix, 'detail', productId] });
      await queryClient.invalidateQueries({ queryKey: [...adminProductsQueryPrefix, 'list'] });
      notifications.show({
        color: 'teal',
        message: t('adminCatalog.stock.adjusted', { code: result.skuCode, stock: formatCount(result.stock) }),
      });
      onDone();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amount = Number(quantity);
    const found: typeof errors = {};
    if (quantity === '' || !Number.isSafeInteger(amount) || amount === 0)
      found.quantity = t('adminCatalog.stock.wholeNumber');
    else if (type === 'RESTOCK' && amount < 0) found.quantity = t('adminCatalog.stock.restockPositive');
    else if (sku.stock + amount < 0)
      found.quantity = t('adminCatalog.stock.notEnough', { stock: formatCount(sku.stock) });
    if (!reason.trim()) found.reason = t('adminCatalog.stock.reasonRequired');
    setErrors(found);
    if (Object.keys(found).length === 0) adjust.mutate({ type, quantity: amount, reason: reason.trim() });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('adminCatalog.stock.availableNow', { stock: formatCount(sku.stock) })}
        </Text>
        <ApiErrorAlert error={adjust.error} title={t('adminCatalog.stock.adjustFailed')} />
        <div>
          <Text id={typeLabelId} size="sm" fw={500} mb={4}>
            {t('adminCatalog.stock.kind')}
          </Text>
          <SegmentedControl
            aria-labelledby={typeLabelId}
            value={type}
            onChange={(value) => setType(value as StockAdjustment['type'])}
            data={[
              { value: 'RESTOCK', label: t('adminCatalog.stock.restock') },
              { value: 'ADJUST', label: t('adminCatalog.stock.correction') },
            ]}
          />
        </div>
        <NumberInput
          label={t('adminCatalog.stock.quantity')}
          description={type === 'ADJUST' ? t('adminCatalog.stock.quantityHint') : undefined}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          value={quantity}
          onChange={setQuantity}
          error={errors.quantity}
          allowDecimal={false}
          allowNegative={type === 'ADJUST'}
          data-autofocus
        />
        <TextInput
          label={t('adminCatalog.stock.reason')}
          placeholder={t('adminCatalog.stock.reasonPlaceholder')}
          value={reason}
          maxLength={200}
          error={errors.reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={adjust.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={adjust.isPending}>
            {t('adminCatalog.stock.apply')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function MovementHistory({ product }: { product: AdminProduct }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<MovementFilter>({
    skuId: null,
    type: '',
    page: 0,
    size: HISTORY_PAGE_SIZE,
  });
  const movements = useQuery(stockMovementsQuery(product.id, filter));
  const change = (patch: Partial<MovementFilter>) =>
    setFilter((current) => ({ ...current, page: 0, ...patch }));
  const result = movements.data;

  return (
    <Stack gap="sm" component="section" aria-labelledby="history-title">
      <Group justify="space-between" align="flex-end">
        <Title id="history-title" order={3} size="h5">
          {t('adminCatalog.history.title')}
        </Title>
        <Group gap="xs">
          <NativeSelect
            label={t('adminCatalog.history.sku')}
            size="xs"
            value={filter.skuId === null ? '' : String(filter.skuId)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              change({ skuId: value ? Number(value) : null });
            }}
            data={[
              { value: '', label: t('adminCatalog.history.allSkus') },
              ...product.skus.map((sku) => ({ value: String(sku.id), label: sku.skuCode })),
            ]}
          />
          <NativeSelect
            label={t('adminCatalog.history.movement')}
            size="xs"
            value={filter.type}
            onChange={(event) => change({ type: event.currentTarget.value as StockMovementType | '' })}
            data={[
              { value: '', label: t('adminCatalog.history.allMovements') },
              ...STOCK_MOVEMENT_TYPES.map((type) => ({
                value: type,
                label: t(`adminCatalog.movementType.${type}`),
              })),
            ]}
          />
        </Group>
      </Group>
      {movements.isError && (
        <ApiErrorAlert error={movements.error} onRetry={() => void movements.refetch()} />
      )}
      {movements.isPending && <Skeleton h={160} />}
      {result && result.content.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('adminCatalog.history.empty')}
        </Text>
      )}
      {result && result.content.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table
            verticalSpacing="xs"
            aria-label={t('adminCatalog.history.table')}
            opacity={movements.isPlaceholderData ? 0.6 : 1}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('adminCatalog.history.when')}</Table.Th>
                <Table.Th>{t('adminCatalog.history.sku')}</Table.Th>
                <Table.Th>{t('adminCatalog.history.movement')}</Table.Th>
                <Table.Th ta="right">{t('adminCatalog.history.change')}</Table.Th>
                <Table.Th ta="right">{t('adminCatalog.history.availableAfter')}</Table.Th>
                <Table.Th ta="right">{t('adminCatalog.history.reserved')}</Table.Th>
                <Table.Th ta="right">{t('adminCatalog.history.sold')}</Table.Th>
                <Table.Th>{t('adminCatalog.history.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.content.map((movement) => (
                <Table.Tr key={movement.id}>
                  <Table.Td fz="sm">{formatDateTime(movement.createdAt)}</Table.Td>
                  <Table.Td ff="monospace" fz="sm">
                    {movement.skuCode}
                  </Table.Td>
                  <Table.Td>
                    <MovementTypeBadge type={movement.type} />
                  </Table.Td>
                  <Table.Td ta="right" c={movement.quantity < 0 ? 'red.7' : undefined}>
                    {signedCount(movement.quantity)}
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(movement.stockAfter)}</Table.Td>
                  <Table.Td ta="right">{formatCount(movement.reservedAfter)}</Table.Td>
                  <Table.Td ta="right">{formatCount(movement.soldAfter)}</Table.Td>
                  <MovementNoteCell movement={movement} />
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {result && result.totalPages > 1 && (
        <Group justify="center">
          <Pagination
            size="sm"
            total={result.totalPages}
            value={filter.page + 1}
            onChange={(oneBased) => setFilter((current) => ({ ...current, page: oneBased - 1 }))}
            aria-label={t('adminCatalog.history.pages')}
          />
        </Group>
      )}
    </Stack>
  );
}

/** The admin's reason, or what caused the movement (an order or a claim by the order's number). */
function MovementNoteCell({ movement }: { movement: StockMovement }) {
  const note = movementNote(movement);
  return (
    <Table.Td fz="sm">
      {note.text}
      {note.detail && (
        <Text size="xs" c="dimmed">
          {note.detail}
        </Text>
      )}
    </Table.Td>
  );
}
