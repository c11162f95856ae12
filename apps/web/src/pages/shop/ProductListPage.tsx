import {
  Button,
  Card,
  Grid,
  Group,
  NativeSelect,
  NumberInput,
  Pagination,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  type CatalogSearch,
  type CatalogSort,
  categoryTreeQuery,
  productSearchQuery,
} from '../../catalog/catalog-api.ts';
import { categoryPath } from '../../catalog/category-path.ts';
import {
  defaultSort,
  parseProductSearch,
  productSearchParams,
  sortsFor,
} from '../../catalog/product-search.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { ProductSearchBox } from '../../layouts/ProductSearchBox.tsx';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { isPastLastPage, PastLastPage } from '../../ui/PagedResults.tsx';
import { CategoryFilter } from './CategoryFilter.tsx';
import { NoResultsSuggestions } from './NoResultsSuggestions.tsx';
import { ProductGrid, ProductGridSkeleton } from './ProductGrid.tsx';

/** `/products`: search results and category browsing; every filter, the sort and the page are in the URL. */
export function ProductListPage() {
  const [params, setParams] = useSearchParams();
  const search = parseProductSearch(params);
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);
  const products = useQuery(productSearchQuery(search));
  const tree = useQuery(categoryTreeQuery);
  const category = categoryPath(tree.data ?? [], search.categoryId).at(-1);

  /** Any filter change starts again from the first page. */
  const changeSearch = (change: Partial<CatalogSearch>) =>
    setParams(productSearchParams({ ...search, page: 0, ...change }));
  const linkToCategory = (categoryId: number | null) =>
    `/products?${productSearchParams({ ...search, page: 0, categoryId })}`;

  const result = products.data;
  const { t } = useTranslation();
  const title = search.q
    ? t('productList.results', { q: search.q })
    : (category?.name ?? t('productList.all'));
  usePageTitle(title);

  return (
    <Stack gap="lg">
      {/* The header's search box is hidden on small screens; this one stands in for it there. */}
      <ProductSearchBox hiddenFrom="sm" />
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 3 }}>
          {/* On small screens the filters fold away above the results. */}
          <Button
            hiddenFrom="md"
            variant="default"
            size="xs"
            onClick={toggleFilters}
            aria-expanded={filtersOpen}
            aria-controls="product-filters"
          >
            {filtersOpen ? t('productList.hideFilters') : t('productList.filters')}
          </Button>
          <Stack
            gap="lg"
            component="aside"
            id="product-filters"
            aria-label={t('productList.filters')}
            display={{ base: filtersOpen ? 'flex' : 'none', md: 'flex' }}
            mt={{ base: filtersOpen ? 'md' : 0, md: 0 }}
          >
            <CategoryFilter selectedId={search.categoryId} linkTo={linkToCategory} />
            <PriceFilter
              key={`${search.minPrice}-${search.maxPrice}`}
              minPrice={search.minPrice}
              maxPrice={search.maxPrice}
              onApply={(minPrice, maxPrice) => changeSearch({ minPrice, maxPrice })}
            />
            <Switch
              label={t('productList.inStockOnly')}
              checked={search.inStock}
              onChange={(event) => changeSearch({ inStock: event.currentTarget.checked })}
            />
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack gap="md">
            <Group justify="space-between" align="flex-end" wrap="wrap">
              <div>
                <Title order={1} size="h2">
                  {title}
                </Title>
                {result && (
                  <Text size="sm" c="dimmed" aria-live="polite">
                    {t('productList.count', { total: result.totalElements.toLocaleString('ko-KR') })}
                    {search.q && category ? t('productList.inCategory', { name: category.name }) : ''}
                  </Text>
                )}
              </div>
              <NativeSelect
                label={t('productList.sortBy')}
                value={search.sort}
                onChange={(event) => changeSearch({ sort: event.currentTarget.value as CatalogSort })}
                data={sortsFor(search.q).map((sort) => ({
                  value: sort,
                  label: t(`productList.sort.${sort}`),
                }))}
              />
            </Group>

            {products.isError && (
              <ApiErrorAlert error={products.error} onRetry={() => void products.refetch()} />
            )}
            {products.isPending && <ProductGridSkeleton />}
            {result && isPastLastPage(result) && (
              <PastLastPage onFirstPage={() => changeSearch({ page: 0 })} />
            )}
            {result && result.totalElements === 0 && <NoResults search={search} />}
            {result && result.content.length > 0 && (
              <div style={{ opacity: products.isPlaceholderData ? 0.6 : 1 }}>
                <ProductGrid products={result.content} label={t('productList.products')} />
              </div>
            )}

            {result && result.totalPages > 1 && (
              <Group justify="center">
                <Pagination
                  total={result.totalPages}
                  value={search.page + 1}
                  onChange={(oneBased) => {
                    changeSearch({ page: oneBased - 1 });
                    window.scrollTo({ top: 0 });
                  }}
                  aria-label={t('productList.pages')}
                />
              </Group>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

interface PriceFilterProps {
  minPrice: number | null;
  maxPrice: number | null;
  onApply: (minPrice: number | null, maxPrice: number | null) => void;
}

/** Applied on submit, not per keystroke: one search and one history entry per price range. */
function PriceFilter({ minPrice, maxPrice, onApply }: PriceFilterProps) {
  const [min, setMin] = useState<string | number>(minPrice ?? '');
  const [max, setMax] = useState<string | number>(maxPrice ?? '');
  const low = toWon(min);
  const high = toWon(max);
  const inverted = low !== null && high !== null && low > high;
  const { t } = useTranslation();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!inverted) onApply(low, high);
  };

  return (
    <Card withBorder padding="sm" component="form" onSubmit={submit} aria-label={t('productList.priceRange')}>
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {t('productList.price')}
        </Text>
        <Group grow gap="xs" align="flex-start">
          <NumberInput
            label={t('productList.minPrice')}
            value={min}
            onChange={setMin}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            hideControls
            size="xs"
          />
          <NumberInput
            label={t('productList.maxPrice')}
            value={max}
            onChange={setMax}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            hideControls
            size="xs"
            error={inverted ? t('productList.belowMin') : undefined}
          />
        </Group>
        <Group gap="xs">
          <Button type="submit" size="xs" variant="light">
            {t('productList.apply')}
          </Button>
          {(minPrice !== null || maxPrice !== null) && (
            <Button size="xs" variant="subtle" color="gray" onClick={() => onApply(null, null)}>
              {t('productList.clear')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function NoResults({ search }: { search: CatalogSearch }) {
  const filtered =
    search.categoryId !== null || search.minPrice !== null || search.maxPrice !== null || search.inStock;
  const { t } = useTranslation();
  return (
    <Stack gap="xs" py="xl" align="center">
      <Text fw={600}>{t('productList.noneTitle')}</Text>
      <Text size="sm" c="dimmed">
        {search.q ? t('productList.noneSearch') : t('productList.noneFilters')}
      </Text>
      {filtered && (
        <Button
          component={Link}
          to={`/products?${productSearchParams({ ...search, categoryId: null, minPrice: null, maxPrice: null, inStock: false, page: 0, sort: defaultSort(search.q) })}`}
          variant="light"
          size="xs"
        >
          {t('productList.clearFilters')}
        </Button>
      )}
      {search.q && <NoResultsSuggestions q={search.q} />}
    </Stack>
  );
}

function toWon(value: string | number): number | null {
  if (value === '' || value === null) return null;
  const won = Number(value);
  return Number.isSafeInteger(won) && won >= 0 ? won : null;
}
