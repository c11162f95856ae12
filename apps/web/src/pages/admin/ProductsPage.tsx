import {
  Anchor,
  Avatar,
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  Pagination,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { adminCategoriesQuery, flattenCategories } from '../../admin-catalog/admin-categories-api.ts';
import {
  adminProductSearchParams,
  parseAdminProductSearch,
} from '../../admin-catalog/admin-product-search.ts';
import {
  type AdminProductSearch,
  type AdminProductSummary,
  adminProductsQuery,
  PRODUCT_STOCK_FILTERS,
  type ProductStockFilter,
} from '../../admin-catalog/admin-products-api.ts';
import { PRODUCT_STATUSES, type ProductStatus } from '../../catalog/catalog-api.ts';
import { formatCount, formatDate, formatWon } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
import { isPastLastPage, PastLastPage } from '../../ui/PagedResults.tsx';
import { DeletedBadge, DisplayedBadge, ProductStatusBadge } from './catalog-badges.tsx';
import { type ListLocationState, ListSearchBox } from './ListSearchBox.tsx';

export function ProductsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = parseAdminProductSearch(params);
  const products = useQuery(adminProductsQuery(search));
  const categories = useQuery(adminCategoriesQuery);
  const changeSearch = (change: Partial<AdminProductSearch>) =>
    setParams(adminProductSearchParams({ ...search, page: 0, ...change }));
  const result = products.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('adminCatalog.list.title')}
        </Title>
        <Button component={Link} to="/admin/products/new">
          {t('adminCatalog.list.new')}
        </Button>
      </Group>

      <Group align="flex-end" gap="sm" wrap="wrap">
        <ListSearchBox
          key={search.name}
          initial={search.name}
          label={t('adminCatalog.list.search')}
          placeholder={t('adminCatalog.list.searchPlaceholder')}
          onSearch={(name) => changeSearch({ name })}
        />
        <NativeSelect
          label={t('adminCatalog.list.status')}
          value={search.status}
          onChange={(event) => changeSearch({ status: event.currentTarget.value as ProductStatus | '' })}
          data={[
            { value: '', label: t('adminCatalog.list.allStatuses') },
            ...PRODUCT_STATUSES.map((status) => ({ value: status, label: t(`status.product.${status}`) })),
          ]}
        />
        <NativeSelect
          label={t('adminCatalog.list.displayed')}
          value={search.displayed === null ? '' : String(search.displayed)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            changeSearch({ displayed: value === '' ? null : value === 'true' });
          }}
          data={[
            { value: '', label: t('adminCatalog.list.allDisplayed') },
            { value: 'true', label: t('adminCatalog.displayed.shown') },
            { value: 'false', label: t('adminCatalog.displayed.hidden') },
          ]}
        />
        <NativeSelect
          label={t('adminCatalog.list.category')}
          value={search.categoryId === null ? '' : String(search.categoryId)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            changeSearch({ categoryId: value ? Number(value) : null });
          }}
          data={[
            { value: '', label: t('adminCatalog.list.allCategories') },
            ...flattenCategories(categories.data ?? []).map(({ category, path }) => ({
              value: String(category.id),
              label: `${'\u00a0\u00a0'.repeat(path.length - 1)}${category.name}`,
            })),
          ]}
        />
        <NativeSelect
          label={t('adminCatalog.list.held')}
          value={search.held ? 'true' : ''}
          onChange={(event) => changeSearch({ held: event.currentTarget.value === 'true' })}
          data={[
            { value: '', label: t('adminCatalog.list.allHeld') },
            { value: 'true', label: t('adminCatalog.list.onlyHeld') },
          ]}
        />
        {/* The dashboard's low-stock card links here with stock=low. Wide enough for its longest choice. */}
        <NativeSelect
          label={t('adminCatalog.list.stock')}
          w={230}
          value={search.stock}
          onChange={(event) => changeSearch({ stock: event.currentTarget.value as ProductStockFilter | '' })}
          data={[
            { value: '', label: t('adminCatalog.list.allStock') },
            ...PRODUCT_STOCK_FILTERS.map((stock) => ({
              value: stock,
              label: t(`adminCatalog.list.stockFilter.${stock}`),
            })),
          ]}
        />
      </Group>
      <MoreFilters
        key={`${search.code}|${search.minPrice}|${search.maxPrice}`}
        search={search}
        onApply={(change) => changeSearch(change)}
      />

      {products.isError && <ApiErrorAlert error={products.error} onRetry={() => void products.refetch()} />}
      <Card withBorder padding={0} opacity={products.isPlaceholderData ? 0.6 : 1}>
        {products.isPending ? (
          <Skeleton h={320} />
        ) : (
          result &&
          (isPastLastPage(result) ? (
            <PastLastPage onFirstPage={() => changeSearch({ page: 0 })} />
          ) : (
            <ProductsTable products={result.content} />
          ))
        )}
      </Card>

      {result && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" aria-live="polite">
            {t(result.totalElements === 1 ? 'adminCatalog.list.countOne' : 'adminCatalog.list.count', {
              total: formatCount(result.totalElements),
            })}
          </Text>
          {result.totalPages > 1 && (
            <Pagination
              total={result.totalPages}
              value={search.page + 1}
              onChange={(oneBased) => changeSearch({ page: oneBased - 1 })}
              aria-label={t('adminCatalog.list.pages')}
            />
          )}
        </Group>
      )}
    </Stack>
  );
}

/** Code prefix and sale price range, applied together on submit. */
function MoreFilters({
  search,
  onApply,
}: {
  search: AdminProductSearch;
  onApply: (change: Pick<AdminProductSearch, 'code' | 'minPrice' | 'maxPrice'>) => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState(search.code);
  const [minPrice, setMinPrice] = useState<string | number>(search.minPrice ?? '');
  const [maxPrice, setMaxPrice] = useState<string | number>(search.maxPrice ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ code: code.trim(), minPrice: toWon(minPrice), maxPrice: toWon(maxPrice) });
  };
  return (
    <form onSubmit={submit} aria-label={t('adminCatalog.list.moreFilters')}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t('adminCatalog.list.codePrefix')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          w={180}
        />
        <NumberInput
          label={t('adminCatalog.list.minPrice')}
          value={minPrice}
          onChange={setMinPrice}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          hideControls
          w={150}
        />
        <NumberInput
          label={t('adminCatalog.list.maxPrice')}
          value={maxPrice}
          onChange={setMaxPrice}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          hideControls
          w={150}
        />
        <Button type="submit" variant="light">
          {t('adminCatalog.list.apply')}
        </Button>
      </Group>
    </form>
  );
}

function ProductsTable({ products }: { products: AdminProductSummary[] }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  if (products.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminCatalog.list.empty')}
      </Text>
    );
  }
  const columns: DataColumn<AdminProductSummary>[] = [
    {
      key: 'product',
      header: t('adminCatalog.list.column.product'),
      phone: 'title',
      cell: (product) => (
        <>
          <Group gap="sm" wrap="nowrap">
            <Avatar src={product.thumbnailUrl} alt="" radius="sm" size="md">
              {product.name.slice(0, 1)}
            </Avatar>
            <Anchor
              component={Link}
              to={`/admin/products/${product.id}`}
              state={{ listSearch: search } satisfies ListLocationState}
              fw={500}
            >
              {product.name}
            </Anchor>
            {/* Listed while it holds units for inspection: the admin still decides on them. */}
            {product.deleted && <DeletedBadge />}
          </Group>
          {product.stockMatches && product.stockMatches.length > 0 && (
            <StockMatches name={product.name} matches={product.stockMatches} />
          )}
        </>
      ),
    },
    {
      key: 'code',
      header: t('adminCatalog.list.column.code'),
      cell: (product) => (
        <Text size="sm" ff="monospace">
          {product.code}
        </Text>
      ),
    },
    {
      key: 'salePrice',
      header: t('adminCatalog.list.column.salePrice'),
      align: 'right',
      phone: 'amount',
      cell: (product) => (
        <>
          {formatWon(product.salePrice)}
          {product.salePrice < product.basePrice && (
            <Text size="xs" c="dimmed" td="line-through">
              {formatWon(product.basePrice)}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'status',
      header: t('adminCatalog.list.column.status'),
      phone: 'status',
      cell: (product) => <ProductStatusBadge status={product.status} />,
    },
    {
      key: 'displayed',
      header: t('adminCatalog.list.column.displayed'),
      cell: (product) => <DisplayedBadge displayed={product.displayed} />,
    },
    {
      key: 'skus',
      header: t('adminCatalog.list.column.skus'),
      align: 'right',
      cell: (product) => product.skuCount,
    },
    {
      key: 'stock',
      header: t('adminCatalog.list.column.stock'),
      align: 'right',
      cell: (product) => formatCount(product.totalStock),
    },
    {
      key: 'held',
      header: t('adminCatalog.list.column.held'),
      align: 'right',
      cellProps: (product) => ({
        c: product.heldTotal > 0 ? 'red.7' : 'dimmed',
        fw: product.heldTotal > 0 ? 600 : undefined,
      }),
      cell: (product) => formatCount(product.heldTotal),
    },
    {
      key: 'updated',
      header: t('adminCatalog.list.column.updated'),
      phone: 'date',
      cell: (product) => formatDate(product.updatedAt),
    },
  ];
  return (
    <DataTable
      label={t('adminCatalog.list.table')}
      columns={columns}
      rows={products}
      rowKey={(product) => product.id}
      minWidth={960}
      highlightOnHover
      verticalSpacing="sm"
    />
  );
}

/** How many matched options a row shows before "옵션 N개 더 보기". */
const MATCHES_SHOWN = 3;

/**
 * Why a product is listed by the stock filter: its options on sale that matched (sold out, or low),
 * the lowest stock first. The product itself may hold plenty in its other options.
 */
function StockMatches({
  name,
  matches,
}: {
  name: string;
  matches: NonNullable<AdminProductSummary['stockMatches']>;
}) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const shown = all ? matches : matches.slice(0, MATCHES_SHOWN);
  const hidden = matches.length - MATCHES_SHOWN;
  return (
    <Stack gap={2} mt={6} pl={46}>
      <Stack
        component="ul"
        gap={2}
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
        aria-label={t('adminCatalog.list.stockMatches', { name })}
      >
        {shown.map((match) => (
          <Group key={match.skuId} component="li" gap={6} wrap="nowrap" data-testid="stock-match">
            <Text size="xs">{match.optionLabel || match.skuCode}</Text>
            <Text size="xs" fw={600} c={match.stock === 0 ? 'red.7' : 'orange.8'}>
              {match.stock === 0
                ? t('adminCatalog.list.matchSoldOut')
                : t('adminCatalog.list.matchLeft', { stock: formatCount(match.stock) })}
            </Text>
          </Group>
        ))}
      </Stack>
      {hidden > 0 && (
        <Anchor component="button" type="button" size="xs" ta="left" onClick={() => setAll(!all)}>
          {all ? t('adminCatalog.list.matchesLess') : t('adminCatalog.list.matchesMore', { count: hidden })}
        </Anchor>
      )}
    </Stack>
  );
}

function toWon(value: string | number): number | null {
  if (value === '') return null;
  const won = Number(value);
  return Number.isSafeInteger(won) && won >= 0 ? won : null;
}
