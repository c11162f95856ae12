import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/use-session.ts';
import { type CatalogSort, categoryTreeQuery, productSearchQuery } from '../../catalog/catalog-api.ts';
import { productListPath } from '../../catalog/product-search.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { ProductSearchBox } from '../../layouts/ProductSearchBox.tsx';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ProductGrid, ProductGridSkeleton } from './ProductGrid.tsx';

const SECTION_SIZE = 8;

export function HomePage() {
  const { user } = useSession();
  const { t } = useTranslation();
  usePageTitle(null);
  return (
    <Stack gap="xl">
      {/* The header's search box is hidden on small screens. */}
      <ProductSearchBox hiddenFrom="sm" />
      <Card padding="xl" radius="lg" bg="dark.8" c="white" component="section" aria-labelledby="hero-title">
        <Stack gap="md" maw={560}>
          <Title id="hero-title" order={1}>
            {t('home.heroTitle')}
          </Title>
          <Text size="lg" c="gray.3">
            {t('home.heroText')}
          </Text>
          <Group>
            <Button component={Link} to="/products" size="md" variant="white" color="dark">
              {t('home.shopAll')}
            </Button>
            {!user && (
              <Button component={Link} to="/signup" size="md" variant="outline" color="white">
                {t('home.join')}
              </Button>
            )}
          </Group>
        </Stack>
      </Card>

      <TopCategories />
      {/* Best sellers first; the new arrivals leave out what is already shown there. */}
      <PopularAndNew />
    </Stack>
  );
}

function TopCategories() {
  const tree = useQuery(categoryTreeQuery);
  const { t } = useTranslation();
  if (!tree.data?.length) return null;
  return (
    <nav aria-label={t('home.categories')}>
      <Group gap="xs">
        {tree.data.map((category) => (
          <Button
            key={category.id}
            component={Link}
            to={productListPath({ categoryId: category.id })}
            variant="default"
            radius="xl"
            size="xs"
          >
            {category.name}
          </Button>
        ))}
      </Group>
    </nav>
  );
}

const ALL_PRODUCTS = {
  q: '',
  categoryId: null,
  minPrice: null,
  maxPrice: null,
  inStock: true,
  page: 0,
  size: SECTION_SIZE,
} as const;

/**
 * "Popular" is what sold (units sold, from the catalog's sales count): products nobody bought yet are
 * not popular, so the section waits for the first sales. "New" is by date, without the popular ones,
 * so the two sections never repeat each other.
 */
function PopularAndNew() {
  const { t } = useTranslation();
  const popular = useQuery(productSearchQuery({ ...ALL_PRODUCTS, sort: 'popular' }));
  // One page more than a section, so leaving out the popular ones still fills it.
  const latest = useQuery(productSearchQuery({ ...ALL_PRODUCTS, sort: 'latest', size: SECTION_SIZE * 2 }));
  const sold = (popular.data?.content ?? []).filter((product) => product.salesCount > 0);
  const soldIds = new Set(sold.map((product) => product.id));
  return (
    <>
      {sold.length > 0 && (
        <ProductSection id="popular" title={t('home.popular')} note={t('home.popularNote')} sort="popular">
          <ProductGrid products={sold} label={t('home.popular')} />
        </ProductSection>
      )}
      <ProductSection id="new-arrivals" title={t('home.newArrivals')} note={t('home.newNote')} sort="latest">
        {latest.isPending && <ProductGridSkeleton count={SECTION_SIZE} />}
        {latest.isError && <ApiErrorAlert error={latest.error} onRetry={() => void latest.refetch()} />}
        {latest.data &&
          (latest.data.content.length > 0 ? (
            <ProductGrid
              products={latest.data.content
                .filter((product) => !soldIds.has(product.id))
                .slice(0, SECTION_SIZE)}
              label={t('home.newArrivals')}
            />
          ) : (
            <Text c="dimmed">{t('home.empty')}</Text>
          ))}
      </ProductSection>
    </>
  );
}

interface ProductSectionProps {
  id: string;
  title: string;
  note: string;
  sort: CatalogSort;
  children: ReactNode;
}

function ProductSection({ id, title, note, sort, children }: ProductSectionProps) {
  const titleId = `${id}-title`;
  const { t } = useTranslation();
  return (
    <section aria-labelledby={titleId}>
      <Group justify="space-between" align="baseline" mb="md">
        <Group gap="xs" align="baseline">
          <Title id={titleId} order={2} size="h3">
            {title}
          </Title>
          <Text size="xs" c="dimmed">
            {note}
          </Text>
        </Group>
        <Anchor component={Link} to={productListPath({ sort })} size="sm">
          {t('home.seeAll')}
        </Anchor>
      </Group>
      {children}
    </section>
  );
}
