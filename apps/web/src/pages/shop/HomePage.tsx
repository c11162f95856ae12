import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
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
      <ProductSection id="new-arrivals" title={t('home.newArrivals')} sort="latest" />
      <ProductSection id="popular" title={t('home.popular')} sort="popular" />
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

function ProductSection({ id, title, sort }: { id: string; title: string; sort: CatalogSort }) {
  const products = useQuery(
    productSearchQuery({
      q: '',
      categoryId: null,
      minPrice: null,
      maxPrice: null,
      inStock: false,
      sort,
      page: 0,
      size: SECTION_SIZE,
    }),
  );
  const titleId = `${id}-title`;
  const { t } = useTranslation();
  return (
    <section aria-labelledby={titleId}>
      <Group justify="space-between" align="baseline" mb="md">
        <Title id={titleId} order={2} size="h3">
          {title}
        </Title>
        <Anchor component={Link} to={productListPath({ sort })} size="sm">
          {t('home.seeAll')}
        </Anchor>
      </Group>
      {products.isPending && <ProductGridSkeleton count={SECTION_SIZE} />}
      {products.isError && <ApiErrorAlert error={products.error} onRetry={() => void products.refetch()} />}
      {products.data &&
        (products.data.content.length > 0 ? (
          <ProductGrid products={products.data.content} label={title} />
        ) : (
          <Text c="dimmed">{t('home.empty')}</Text>
        ))}
    </section>
  );
}
