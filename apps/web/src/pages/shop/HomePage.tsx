import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useSession } from '../../auth/use-session.ts';
import { type CatalogSort, categoryTreeQuery, productSearchQuery } from '../../catalog/catalog-api.ts';
import { productListPath } from '../../catalog/product-search.ts';
import { ProductSearchBox } from '../../layouts/ProductSearchBox.tsx';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ProductGrid, ProductGridSkeleton } from './ProductGrid.tsx';

const SECTION_SIZE = 8;

export function HomePage() {
  const { user } = useSession();
  return (
    <Stack gap="xl">
      {/* The header's search box is hidden on small screens. */}
      <ProductSearchBox hiddenFrom="sm" />
      <Card padding="xl" radius="lg" bg="teal.0" component="section" aria-labelledby="hero-title">
        <Stack gap="md" maw={560}>
          <Title id="hero-title" order={1}>
            Everyday things, delivered tomorrow.
          </Title>
          <Text size="lg" c="dimmed">
            Clothes, shoes, bags and more from sagamart. Pay with points you earn on every purchase.
          </Text>
          <Group>
            <Button component={Link} to="/products" size="md">
              Shop all products
            </Button>
            {!user && (
              <Button component={Link} to="/signup" size="md" variant="white">
                Create an account
              </Button>
            )}
          </Group>
        </Stack>
      </Card>

      <TopCategories />
      <ProductSection id="new-arrivals" title="New arrivals" sort="latest" />
      <ProductSection id="popular" title="Popular now" sort="popular" />
    </Stack>
  );
}

function TopCategories() {
  const tree = useQuery(categoryTreeQuery);
  if (!tree.data?.length) return null;
  return (
    <nav aria-label="Shop by category">
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
  return (
    <section aria-labelledby={titleId}>
      <Group justify="space-between" align="baseline" mb="md">
        <Title id={titleId} order={2} size="h3">
          {title}
        </Title>
        <Anchor component={Link} to={productListPath({ sort })} size="sm">
          See all
        </Anchor>
      </Group>
      {products.isPending && <ProductGridSkeleton count={SECTION_SIZE} />}
      {products.isError && <ApiErrorAlert error={products.error} onRetry={() => void products.refetch()} />}
      {products.data &&
        (products.data.content.length > 0 ? (
          <ProductGrid products={products.data.content} label={title} />
        ) : (
          <Text c="dimmed">Nothing here yet.</Text>
        ))}
    </section>
  );
}
