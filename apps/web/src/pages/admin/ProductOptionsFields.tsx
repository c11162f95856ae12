import {
  ActionIcon,
  Alert,
  Button,
  Flex,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminSku } from '../../admin-catalog/admin-products-api.ts';
import {
  type OptionGroupDraft,
  PRODUCT_LIMITS,
  type ProductFormErrors,
  rowLabel,
  type SkuRow,
} from '../../admin-catalog/product-form.ts';
import type { OptionGroup, SkuStatus } from '../../catalog/catalog-api.ts';
import { formatCount } from '../../lib/format.ts';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';

interface OptionGroupsEditorProps {
  groups: OptionGroupDraft[];
  errors: ProductFormErrors['groups'] | undefined;
  onChange: (groups: OptionGroupDraft[]) => void;
}

/** Up to three option groups (색상, 사이즈, ...), each with comma-separated values. */
export function OptionGroupsEditor({ groups, errors, onChange }: OptionGroupsEditorProps) {
  const { t } = useTranslation();
  const change = (index: number, patch: Partial<OptionGroupDraft>) =>
    onChange(groups.map((group, i) => (i === index ? { ...group, ...patch } : group)));
  return (
    <Stack gap="sm">
      {groups.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('adminCatalog.options.none')}
        </Text>
      )}
      {groups.map((group, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: groups are edited in place; their names change as typed
        <Group key={index} align="flex-start" gap="sm" wrap="nowrap">
          {/* On a phone the name sits over the values (beside them it left the values 84 px at 390 px). */}
          <Flex direction={{ base: 'column', sm: 'row' }} gap="sm" flex={1} miw={0}>
            <TextInput
              label={t('adminCatalog.options.name', { number: index + 1 })}
              placeholder={t('adminCatalog.options.namePlaceholder')}
              value={group.name}
              error={errors?.[index]?.name}
              onChange={(event) => change(index, { name: event.currentTarget.value })}
              w={{ base: '100%', sm: 180 }}
            />
            <TextInput
              label={t('adminCatalog.options.values', { number: index + 1 })}
              description={t('adminCatalog.options.valuesHint')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              placeholder={t('adminCatalog.options.valuesPlaceholder')}
              value={group.values}
              error={errors?.[index]?.values}
              onChange={(event) => change(index, { values: event.currentTarget.value })}
              flex={1}
            />
          </Flex>
          <ActionIcon
            variant="subtle"
            color="red"
            mt={28}
            aria-label={t('adminCatalog.options.remove', { number: index + 1 })}
            onClick={() => onChange(groups.filter((_, i) => i !== index))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      {groups.length < PRODUCT_LIMITS.optionGroups && (
        <Group>
          <Button variant="default" size="xs" onClick={() => onChange([...groups, { name: '', values: '' }])}>
            {t('adminCatalog.options.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

interface SkuTableProps {
  groups: OptionGroup[];
  rows: SkuRow[];
  /** The product's SKUs as last loaded, for current stock (adjustments happen outside this form). */
  savedSkus: readonly AdminSku[];
  errors: ProductFormErrors['skuRows'] | undefined;
  onChange: (rows: SkuRow[]) => void;
}

/**
 * One row per option combination: code, price, stock and whether it is on sale. Existing SKUs keep
 * their code (that is how the server keeps their id) and change stock through the stock panel.
 */
export function SkuTable({ groups, rows, savedSkus, errors, onChange }: SkuTableProps) {
  const { t } = useTranslation();
  const statusChoices: Array<{ value: SkuStatus; label: string }> = [
    { value: 'ACTIVE', label: t('adminCatalog.skus.onSale') },
    { value: 'INACTIVE', label: t('adminCatalog.skus.stopped') },
  ];
  const change = (key: string, patch: Partial<SkuRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const columns: DataColumn<SkuRow>[] = [
    {
      key: 'options',
      header: t('adminCatalog.skus.options'),
      phone: 'title',
      cell: (row) => (
        <Text size="sm" fw={500}>
          {rowLabel(groups, row.options)}
        </Text>
      ),
    },
    {
      key: 'code',
      header: t('adminCatalog.skus.code'),
      cell: (row) => (
        <TextInput
          aria-label={t('adminCatalog.skus.codeFor', { label: rowLabel(groups, row.options) })}
          value={row.skuCode}
          error={errors?.[row.key]?.skuCode}
          readOnly={row.existing !== undefined}
          variant={row.existing ? 'filled' : 'default'}
          onChange={(event) => change(row.key, { skuCode: event.currentTarget.value })}
          size="xs"
          ff="monospace"
        />
      ),
    },
    {
      key: 'price',
      header: t('adminCatalog.skus.price'),
      cell: (row) => (
        <NumberInput
          aria-label={t('adminCatalog.skus.priceFor', { label: rowLabel(groups, row.options) })}
          value={row.price}
          error={errors?.[row.key]?.price}
          onChange={(value) => change(row.key, { price: String(value) })}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          hideControls
          size="xs"
          w={130}
        />
      ),
    },
    {
      key: 'stock',
      header: t('adminCatalog.skus.stock'),
      cell: (row) => (
        <SkuStock
          row={row}
          label={rowLabel(groups, row.options)}
          savedSkus={savedSkus}
          errors={errors}
          onChange={change}
        />
      ),
    },
    {
      key: 'status',
      header: t('adminCatalog.skus.status'),
      phone: 'status',
      cell: (row) => (
        <NativeSelect
          aria-label={t('adminCatalog.skus.statusFor', { label: rowLabel(groups, row.options) })}
          value={row.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE'}
          onChange={(event) => change(row.key, { status: event.currentTarget.value as SkuStatus })}
          data={statusChoices}
          size="xs"
        />
      ),
    },
  ];
  return (
    <Stack gap="sm">
      <FillAll rows={rows} onChange={onChange} />
      <DataTable
        label={t('adminCatalog.skus.table')}
        columns={columns}
        rows={rows}
        rowKey={(row) => row.key}
        rowProps={() => ({ 'data-testid': 'sku-row' })}
        minWidth={720}
        verticalSpacing="xs"
      />
    </Stack>
  );
}

/**
 * A row's stock: what a saved SKU holds now (adjusted in the stock panel, not here), or the initial
 * stock of a new one.
 */
function SkuStock({
  row,
  label,
  savedSkus,
  errors,
  onChange,
}: {
  row: SkuRow;
  label: string;
  savedSkus: readonly AdminSku[];
  errors: ProductFormErrors['skuRows'] | undefined;
  onChange: (key: string, patch: Partial<SkuRow>) => void;
}) {
  const { t } = useTranslation();
  const saved = savedSkus.find((sku) => sku.id === row.existing?.id) ?? row.existing;
  if (saved && !saved.removed) {
    return (
      <Text size="sm">
        {t('adminCatalog.skus.available', { stock: formatCount(saved.stock) })}
        {saved.reserved > 0 && (
          <Text span size="xs" c="dimmed">
            {' '}
            {t('adminCatalog.skus.reserved', { reserved: formatCount(saved.reserved) })}
          </Text>
        )}
      </Text>
    );
  }
  if (saved) {
    return (
      <Text size="xs" c="dimmed">
        {t('adminCatalog.skus.restored', { stock: formatCount(saved.stock) })}
      </Text>
    );
  }
  return (
    <NumberInput
      aria-label={t('adminCatalog.skus.initialStockFor', { label })}
      value={row.initialStock}
      error={errors?.[row.key]?.initialStock}
      onChange={(value) => onChange(row.key, { initialStock: String(value) })}
      allowDecimal={false}
      allowNegative={false}
      hideControls
      size="xs"
      w={100}
    />
  );
}

/** Sets one price (and the initial stock of new SKUs) on every row at once. */
function FillAll({ rows, onChange }: { rows: SkuRow[]; onChange: (rows: SkuRow[]) => void }) {
  const { t } = useTranslation();
  const [price, setPrice] = useState<string | number>('');
  const [stock, setStock] = useState<string | number>('');
  if (rows.length < 2) return null;
  const apply = () =>
    onChange(
      rows.map((row) => ({
        ...row,
        ...(price === '' ? {} : { price: String(price) }),
        ...(stock === '' || row.existing ? {} : { initialStock: String(stock) }),
      })),
    );
  return (
    <Group align="flex-end" gap="xs">
      <NumberInput
        label={t('adminCatalog.skus.priceForAll')}
        value={price}
        onChange={setPrice}
        allowDecimal={false}
        allowNegative={false}
        thousandSeparator=","
        hideControls
        size="xs"
        w={150}
      />
      <NumberInput
        label={t('adminCatalog.skus.initialStockForAll')}
        value={stock}
        onChange={setStock}
        allowDecimal={false}
        allowNegative={false}
        hideControls
        size="xs"
        w={190}
      />
      <Button size="xs" variant="default" onClick={apply} disabled={price === '' && stock === ''}>
        {t('adminCatalog.skus.applyToAll')}
      </Button>
    </Group>
  );
}

/** Heading plus the "Generate SKUs" action and what is wrong with the matrix, if anything. */
export function SkusHeader({ error, onGenerate }: { error: string | undefined; onGenerate: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('adminCatalog.skus.title')}
        </Title>
        <Button size="xs" variant="light" onClick={onGenerate}>
          {t('adminCatalog.skus.generate')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('adminCatalog.skus.generateHint')}
      </Text>
      {error && (
        <Alert color="red" variant="light" role="alert" p="xs">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
