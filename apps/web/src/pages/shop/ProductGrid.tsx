import {
  AspectRatio,
  Badge,
  Box,
  Card,
  ColorSwatch,
  Group,
  Image,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ProductCard } from '../../catalog/catalog-api.ts';
import { swatchOf } from '../../catalog/product-picture.ts';
import { useCardPicture } from '../../catalog/use-product-picture.ts';
import { formatWon } from '../../lib/format.ts';

interface ProductGridProps {
  products: ProductCard[];
  /** Names the list for assistive technology, e.g. "New arrivals". */
  label: string;
}

export function ProductGrid({ products, label }: ProductGridProps) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="md" component="ul" aria-label={label} p={0} m={0}>
      {products.map((product) => (
        <Box component="li" key={product.id} style={{ listStyle: 'none' }}>
          <ProductTile product={product} />
        </Box>
      ))}
    </SimpleGrid>
  );
}

export function ProductGridSkeleton({ count = 8 }: { count?: number }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="md" aria-hidden>
      {Array.from({ length: count }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Stack key={index} gap="xs">
          <Skeleton style={{ aspectRatio: '1' }} />
          <Skeleton h={14} w="80%" />
          <Skeleton h={14} w="40%" />
        </Stack>
      ))}
    </SimpleGrid>
  );
}

/** One product: picture, name and price; the whole card links to the product page. */
export function ProductTile({ product }: { product: ProductCard }) {
  const soldOut = !product.inStock || product.status === 'SOLD_OUT';
  const picture = useCardPicture(product);
  const { t } = useTranslation();
  return (
    <Card
      component={Link}
      to={`/products/${product.id}`}
      padding="xs"
      radius="md"
      withBorder
      h="100%"
      data-testid="product-card"
    >
      <Card.Section pos="relative">
        <ProductImage url={picture} alt="" dimmed={soldOut} />
        {soldOut && (
          <Badge color="dark" variant="filled" pos="absolute" top={8} left={8}>
            {t('product.soldOut')}
          </Badge>
        )}
      </Card.Section>
      <Stack gap={4} mt="xs">
        <Text size="sm" fw={500} lineClamp={2}>
          {product.name}
        </Text>
        <PriceTag
          basePrice={product.basePrice}
          price={product.salePrice}
          discountRate={product.discountRate}
        />
        <ColourSwatches colours={product.colours} />
      </Stack>
    </Card>
  );
}

const SHOWN_SWATCHES = 5;

/** The colours a product comes in, as dots (two or more: one colour is already the picture's). */
function ColourSwatches({ colours }: { colours: string[] }) {
  const { t } = useTranslation();
  if (colours.length < 2) return null;
  const hidden = colours.length - SHOWN_SWATCHES;
  return (
    <Group gap={4} data-testid="colour-swatches">
      <VisuallyHidden>
        {t('product.colours', { count: colours.length, names: colours.join(', ') })}
      </VisuallyHidden>
      {colours.slice(0, SHOWN_SWATCHES).map((colour) => (
        <ColorSwatch key={colour} color={swatchOf(colour)} size={12} withShadow aria-hidden title={colour} />
      ))}
      {hidden > 0 && (
        <Text span size="xs" c="dimmed" aria-hidden>
          {t('product.moreColours', { count: hidden })}
        </Text>
      )}
    </Group>
  );
}

interface PriceTagProps {
  basePrice: number;
  price: number;
  discountRate: number;
  size?: 'sm' | 'xl';
}

/** `15% 12,900원 ~~15,200원~~`: the discount first, as Korean shops show it. */
export function PriceTag({ basePrice, price, discountRate, size = 'sm' }: PriceTagProps) {
  const discounted = discountRate > 0 && price < basePrice;
  const { t } = useTranslation();
  return (
    <Group gap={6} align="baseline" wrap="wrap">
      {discounted && (
        <Text size={size} fw={700} c="red.7">
          {discountRate}%
        </Text>
      )}
      <Text size={size} fw={700} data-testid="price">
        {formatWon(price)}
      </Text>
      {discounted && (
        <Text size="xs" c="dimmed" td="line-through">
          <VisuallyHidden>{t('product.regularPrice')}</VisuallyHidden>
          {formatWon(basePrice)}
        </Text>
      )}
    </Group>
  );
}

/** A square product picture (uploaded or drawn), or a neutral box while it is on its way. */
export function ProductImage({
  url,
  alt,
  dimmed = false,
}: {
  url: string | null;
  alt: string;
  dimmed?: boolean;
}) {
  return (
    <AspectRatio ratio={1}>
      {url ? (
        <Image src={url} alt={alt} fit="cover" loading="lazy" opacity={dimmed ? 0.55 : 1} />
      ) : (
        <Box bg="gray.1" aria-hidden />
      )}
    </AspectRatio>
  );
}
