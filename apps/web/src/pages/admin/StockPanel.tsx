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
  decideHeldStock,
  type MovementFilter,
  STOCK_MOVEMENT_TYPES,
  type StockAdjustment,
  type StockMovement,
  type StockMovementType,
  stockMovementsQuery,
} from '../../admin-catalog/admin-products-api.ts';
import { rowLabel } from '../../admin-catalog/product-form.ts';
import { heldChangeText, movementNote, signedCount } from '../../admin-catalog/stock-history.ts';
import { formatCount, formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
import { MovementTypeBadge, ProductStatusBadge } from './catalog-badges.tsx';

const HISTORY_PAGE_SIZE = 10;

/** What the admin decides on a SKU's held units: on sale again, or written off. */
type HeldAction = 'release' | 'discard';

/**
 * Stock per SKU with an adjustment form (a reason is required), the units held for inspection (sent
 * back defective or damaged) with release and write-off, and the movement history.
 */
export function StockPanel({ product }: { product: AdminProduct }) {
  const { t } = useTranslation();
  const [adjusting, setAdjusting] = useState<AdminSku | null>(null);
  const [deciding, setDeciding] = useState<{ sku: AdminSku; action: HeldAction } | null>(null);
  // A removed SKU still shows while it holds returned units: the admin decides on them here.
  const skus = product.skus.filter((sku) => !sku.removed || sku.held > 0);
  const stockColumns: DataColumn<AdminSku>[] = [
    {
      key: 'sku',
      header: t('adminCatalog.stock.sku'),
      phone: 'title',
      cellProps: { ff: 'monospace', fz: 'sm' },
      cell: (sku) => sku.skuCode,
    },
    {
      key: 'options',
      header: t('adminCatalog.stock.options'),
      cell: (sku) => rowLabel(product.optionGroups, sku.options),
    },
    {
      key: 'status',
      header: t('adminCatalog.stock.status'),
      phone: 'status',
      cell: (sku) => <ProductStatusBadge status={sku.status} />,
    },
    {
      key: 'available',
      header: t('adminCatalog.stock.available'),
      align: 'right',
      phone: 'amount',
      cellProps: (sku) => ({ fw: 600, 'data-testid': `stock-${sku.skuCode}` }),
      cell: (sku) => formatCount(sku.stock),
    },
    countColumn('reserved', t('adminCatalog.stock.reserved'), (sku) => sku.reserved),
    countColumn('sold', t('adminCatalog.stock.sold'), (sku) => sku.sold),
    {
      key: 'held',
      header: t('adminCatalog.stock.held'),
      align: 'right',
      cellProps: (sku) => ({
        c: sku.held > 0 ? 'red.7' : undefined,
        fw: sku.held > 0 ? 600 : undefined,
        'data-testid': `held-${sku.skuCode}`,
      }),
      cell: (sku) => formatCount(sku.held),
    },
    {
      key: 'actions',
      header: '',
      align: 'right',
      phone: 'actions',
      cell: (sku) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {sku.held > 0 && (
            <>
              <Button
                size="compact-xs"
                variant="light"
                color="teal"
                onClick={() => setDeciding({ sku, action: 'release' })}
                aria-label={t('adminCatalog.stock.releaseOf', { code: sku.skuCode })}
              >
                {t('adminCatalog.stock.release')}
              </Button>
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                onClick={() => setDeciding({ sku, action: 'discard' })}
                aria-label={t('adminCatalog.stock.discardOf', { code: sku.skuCode })}
              >
                {t('adminCatalog.stock.discard')}
              </Button>
            </>
          )}
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => setAdjusting(sku)}
            aria-label={t('adminCatalog.stock.adjustOf', { code: sku.skuCode })}
          >
            {t('adminCatalog.stock.adjust')}
          </Button>
        </Group>
      ),
    },
  ];
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="stock-title">
      <Stack gap="md">
        <Title id="stock-title" order={2} size="h4">
          {t('adminCatalog.stock.title')}
        </Title>
        <DataTable
          label={t('adminCatalog.stock.table')}
          columns={stockColumns}
          rows={skus}
          rowKey={(sku) => sku.id}
          minWidth={760}
          verticalSpacing="xs"
        />
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
      {deciding && (
        <HeldDecisionDialog
          key={`${deciding.sku.id}-${deciding.action}`}
          productId={product.id}
          sku={deciding.sku}
          optionOnSale={isOnSale(product, deciding.sku)}
          action={deciding.action}
          onDone={() => setDeciding(null)}
        />
      )}
    </Card>
  );
}

/**
 * Whether available units of the SKU sell: product-service reserves only an ACTIVE, displayed, not
 * deleted product's SKUs that are neither removed nor INACTIVE (planReservation).
 */
function isOnSale(product: AdminProduct, sku: AdminSku): boolean {
  return (
    product.status === 'ACTIVE' &&
    product.displayed &&
    !product.deleted &&
    !sku.removed &&
    sku.status !== 'INACTIVE'
  );
}

/**
 * Asks before held units go back to available stock or are written off: how many (all of them unless
 * changed) and what the inspection found (optional, kept in the history). Released units go on sale
 * at once only when the option is on sale (`optionOnSale`); the text says which.
 */
function HeldDecisionDialog({
  productId,
  sku,
  optionOnSale,
  action,
  onDone,
}: {
  productId: number;
  sku: AdminSku;
  optionOnSale: boolean;
  action: HeldAction;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [quantity, setQuantity] = useState<string | number>(sku.held);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const decide = useMutation({
    mutationFn: (amount: number) =>
      decideHeldStock(productId, sku.id, action, {
        quantity: amount,
        ...(note.trim() ? { reason: note.trim() } : {}),
      }),
    onSuccess: async (_result, amount) => {
      await queryClient.invalidateQueries({ queryKey: [...adminProductsQueryPrefix, 'detail', productId] });
      await queryClient.invalidateQueries({ queryKey: [...adminProductsQueryPrefix, 'list'] });
      notifications.show({
        color: action === 'release' ? 'teal' : 'orange',
        message: t(action === 'release' ? 'adminCatalog.stock.released' : 'adminCatalog.stock.discarded', {
          code: sku.skuCode,
          count: amount,
          units: formatCount(amount),
        }),
      });
      onDone();
    },
  });
  const confirm = () => {
    const amount = Number(quantity);
    if (quantity === '' || !Number.isSafeInteger(amount) || amount < 1 || amount > sku.held) {
      setError(t('adminCatalog.stock.heldRange', { held: formatCount(sku.held) }));
      return;
    }
    setError(undefined);
    decide.mutate(amount);
  };
  const release = action === 'release';
  const text = !release
    ? 'adminCatalog.stock.discardText'
    : optionOnSale
      ? 'adminCatalog.stock.releaseText'
      : 'adminCatalog.stock.releaseTextOffSale';
  return (
    <ConfirmDialog
      opened
      title={t(release ? 'adminCatalog.stock.releaseOf' : 'adminCatalog.stock.discardOf', {
        code: sku.skuCode,
      })}
      confirmLabel={t(release ? 'adminCatalog.stock.release' : 'adminCatalog.stock.discard')}
      keepLabel={t('common.cancel')}
      danger={!release}
      loading={decide.isPending}
      onConfirm={confirm}
      onClose={onDone}
    >
      <Stack>
        <Text size="sm" data-testid="held-decision-text">
          {t(text, { count: sku.held, units: formatCount(sku.held) })}
        </Text>
        <ApiErrorAlert error={decide.error} title={t('adminCatalog.stock.heldFailed')} />
        <NumberInput
          label={t('adminCatalog.stock.heldQuantity')}
          value={quantity}
          onChange={setQuantity}
          error={error}
          min={1}
          max={sku.held}
          allowDecimal={false}
          allowNegative={false}
          data-autofocus
        />
        <TextInput
          label={t('adminCatalog.stock.heldNote')}
          placeholder={t('adminCatalog.stock.heldNotePlaceholder')}
          value={note}
          maxLength={200}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
      </Stack>
    </ConfirmDialog>
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

  const historyColumns: DataColumn<StockMovement>[] = [
    {
      key: 'when',
      header: t('adminCatalog.history.when'),
      phone: 'date',
      cellProps: { fz: 'sm' },
      cell: (movement) => formatDateTime(movement.createdAt),
    },
    {
      key: 'sku',
      header: t('adminCatalog.history.sku'),
      phone: 'title',
      cellProps: { ff: 'monospace', fz: 'sm' },
      cell: (movement) => movement.skuCode,
    },
    {
      key: 'movement',
      header: t('adminCatalog.history.movement'),
      phone: 'status',
      cell: (movement) => <MovementTypeBadge type={movement.type} />,
    },
    {
      key: 'change',
      header: t('adminCatalog.history.change'),
      align: 'right',
      phone: 'amount',
      cellProps: (movement) => ({ c: movementChange(movement).negative ? 'red.7' : undefined }),
      cell: (movement) => <MovementChange movement={movement} />,
    },
    countColumn(
      'availableAfter',
      t('adminCatalog.history.availableAfter'),
      (movement) => movement.stockAfter,
    ),
    countColumn('reserved', t('adminCatalog.history.reserved'), (movement) => movement.reservedAfter),
    countColumn('sold', t('adminCatalog.history.sold'), (movement) => movement.soldAfter),
    countColumn('held', t('adminCatalog.history.held'), (movement) => movement.heldAfter),
    {
      key: 'reason',
      header: t('adminCatalog.history.reason'),
      cellProps: { fz: 'sm' },
      cell: (movement) => <MovementNote movement={movement} />,
    },
  ];

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
        <DataTable
          label={t('adminCatalog.history.table')}
          columns={historyColumns}
          rows={result.content}
          rowKey={(movement) => movement.id}
          minWidth={840}
          verticalSpacing="xs"
          opacity={movements.isPlaceholderData ? 0.6 : 1}
        />
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

/** A count of units, read from the right. */
function countColumn<T>(key: string, header: string, count: (row: T) => number): DataColumn<T> {
  return { key, header, align: 'right', cell: (row) => formatCount(count(row)) };
}

/**
 * The change of available stock, and of held units when the movement moved some: a hold or a write-off
 * changes no available stock, so its units are what it shows (`보류 +2`, `폐기 -2`); a release shows
 * both (`+2`, `보류 -2`).
 */
function movementChange(movement: StockMovement) {
  const held = heldChangeText(movement);
  const available = movement.quantity !== 0 || !held;
  const negative = available ? movement.quantity < 0 : movement.heldChange < 0;
  return { held, available, negative };
}

function MovementChange({ movement }: { movement: StockMovement }) {
  const { held, available } = movementChange(movement);
  return (
    <>
      {available ? signedCount(movement.quantity) : held}
      {available && held && (
        <Text size="xs" c="dimmed">
          {held}
        </Text>
      )}
    </>
  );
}

/** The admin's reason, or what caused the movement (an order or a claim by the order's number). */
function MovementNote({ movement }: { movement: StockMovement }) {
  const note = movementNote(movement);
  return (
    <>
      {note.text}
      {note.detail && (
        <Text size="xs" c="dimmed">
          {note.detail}
        </Text>
      )}
    </>
  );
}
