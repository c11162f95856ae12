import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Divider,
  Grid,
  Group,
  NativeSelect,
  Skeleton,
  Stack,
  Text,
  Title,
  Typography,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type Dispatch, type SetStateAction, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/api-error.ts';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '../../cart/cart-store.ts';
import { useCart } from '../../cart/use-cart.ts';
import { type CatalogSku, type ProductDetail, productDetailQuery } from '../../catalog/catalog-api.ts';
import { colourOf } from '../../catalog/product-picture.ts';
import { productListPath } from '../../catalog/product-search.ts';
import {
  discountRate,
  isPurchasable,
  type OptionSelection,
  optionLabel,
  resolveSku,
  valueAvailability,
} from '../../catalog/sku-selection.ts';
import { detailPictureUrl, firstColour } from '../../catalog/use-product-picture.ts';
import { i18n } from '../../i18n/i18n.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { buyNowPath, buyNowState } from '../../orders/checkout-items.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { QuantityInput } from '../../ui/QuantityInput.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { ProductGallery } from './ProductGallery.tsx';
import { PriceTag } from './ProductGrid.tsx';

/** `/products/:id`: pictures, options resolving to one SKU, and the way to the cart or checkout. */
export function ProductDetailPage() {
  const productId = Number(useParams().id);
  const isValidId = Number.isSafeInteger(productId) && productId > 0;
  const product = useQuery({ ...productDetailQuery(productId), enabled: isValidId });

  if (!isValidId) return <NotFoundPage />;
  if (product.isPending) return <Skeleton h={480} />;
  if (product.isError) {
    if (isApiError(product.error) && product.error.status === 404) return <ProductGone />;
    return <ApiErrorAlert error={product.error} onRetry={() => void product.refetch()} />;
  }
  // Keyed by product: another product's page starts with a fresh choice.
  return <ProductView key={product.data.id} product={product.data} />;
}

function ProductView({ product }: { product: ProductDetail }) {
  const { t } = useTranslation();
  usePageTitle(product.name);
  // Held here so the picture follows the colour chosen in the purchase panel.
  const [selection, setSelection] = useState<OptionSelection>(() => initialSelection(product));
  const colour = colourOf(selection) ?? firstColour(product);
  return (
    <Stack gap="xl">
      {product.breadcrumb.length > 0 && (
        <Breadcrumbs component="nav" aria-label={t('productDetail.breadcrumb')} separatorMargin={6}>
          {product.breadcrumb.map((category) => (
            <Anchor
              key={category.id}
              component={Link}
              to={productListPath({ categoryId: category.id })}
              size="sm"
            >
              {category.name}
            </Anchor>
          ))}
        </Breadcrumbs>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <ProductGallery
            images={product.images}
            name={product.name}
            drawn={{ url: detailPictureUrl(product, colour), colour }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <PurchasePanel product={product} selection={selection} setSelection={setSelection} />
        </Grid.Col>
      </Grid>
      {product.description.trim() && (
        <section aria-labelledby="description-title">
          <Divider mb="lg" />
          <Title id="description-title" order={2} size="h3" mb="md">
            {t('productDetail.details')}
          </Title>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: product-service sanitizes descriptions against an allow-list before storing them */}
          <Typography dangerouslySetInnerHTML={{ __html: product.description }} />
        </section>
      )}
    </Stack>
  );
}

/** Groups with a single value need no choice: they start chosen. */
function initialSelection(product: ProductDetail): Record<string, string> {
  const selection: Record<string, string> = {};
  for (const group of product.optionGroups) {
    if (group.values.length === 1 && group.values[0] !== undefined) selection[group.name] = group.values[0];
  }
  return selection;
}

interface PurchasePanelProps {
  product: ProductDetail;
  selection: OptionSelection;
  setSelection: Dispatch<SetStateAction<OptionSelection>>;
}

function PurchasePanel({ product, selection, setSelection }: PurchasePanelProps) {
  const navigate = useNavigate();
  const cart = useCart();
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState<{ quantity: number; limited: boolean; cartFull?: boolean } | null>(null);
  const { t } = useTranslation();

  const sku = resolveSku(product, selection);
  const purchasable = sku !== undefined && isPurchasable(sku);
  const maxQuantity = sku ? Math.max(1, Math.min(sku.stock, MAX_LINE_QUANTITY)) : MAX_LINE_QUANTITY;
  const price = sku?.price ?? product.salePrice;
  const missing = product.optionGroups.filter((group) => selection[group.name] === undefined);

  const choose = (groupName: string, value: string) => {
    setSelection((current) => {
      const next = { ...current };
      if (value) next[groupName] = value;
      else delete next[groupName];
      return next;
    });
    setQuantity(1);
    setAdded(null);
  };

  const addToCart = (chosen: CatalogSku) => {
    const inCart = cart.items.find((line) => line.skuId === chosen.id)?.quantity ?? 0;
    // The cart never holds more than the stock the shopper can see.
    const addable = Math.max(0, Math.min(quantity, chosen.stock - inCart));
    if (addable > 0) {
      const taken = cart.add({
        skuId: chosen.id,
        productId: product.id,
        name: product.name,
        optionLabel: optionLabel(product.optionGroups, chosen.options),
        unitPrice: chosen.price,
        quantity: addable,
        ...(product.images[0] ? { imageUrl: product.images[0].url } : {}),
      });
      // A new line in a cart that holds as many lines as one order may: nothing was added.
      if (!taken) {
        setAdded({ quantity: 0, limited: false, cartFull: true });
        return;
      }
    }
    setAdded({ quantity: addable, limited: addable < quantity });
  };

  const buyNow = (chosen: CatalogSku) =>
    void navigate(buyNowPath(chosen.id, quantity), {
      state: buyNowState({
        skuId: chosen.id,
        name: product.name,
        optionLabel: optionLabel(product.optionGroups, chosen.options),
        unitPrice: chosen.price,
      }),
    });

  return (
    <Stack gap="md">
      <div>
        {(product.status === 'SOLD_OUT' || !product.inStock) && (
          <Badge color="dark" mb={4}>
            {t('productDetail.soldOut')}
          </Badge>
        )}
        <Title order={1} size="h2">
          {product.name}
        </Title>
        <Text size="xs" c="dimmed">
          {t('productDetail.code', { code: product.code })}
        </Text>
      </div>

      <div data-testid="sku-price">
        <PriceTag
          basePrice={product.basePrice}
          price={price}
          discountRate={discountRate(product.basePrice, price)}
          size="xl"
        />
      </div>

      {product.optionGroups.map((group) => (
        <NativeSelect
          key={group.name}
          label={group.name}
          value={selection[group.name] ?? ''}
          onChange={(event) => choose(group.name, event.currentTarget.value)}
          data={[
            { value: '', label: t('productDetail.choose', { name: group.name }) },
            ...group.values.map((value) => {
              const availability = valueAvailability(product, selection, group.name, value);
              return {
                value,
                label:
                  availability === 'available'
                    ? value
                    : `${value} (${availability === 'sold-out' ? t('productDetail.soldOut') : t('productDetail.notAvailableShort')})`,
                disabled: availability !== 'available',
              };
            }),
          ]}
        />
      ))}

      <StockLine sku={sku} missing={missing.map((group) => group.name)} hasSkus={product.skus.length > 0} />

      <QuantityInput
        label={t('productDetail.quantity')}
        value={quantity}
        onChange={(value) => {
          setQuantity(value);
          setAdded(null);
        }}
        max={maxQuantity}
        disabled={!purchasable}
        maw={160}
      />

      <Group grow>
        <Button variant="light" size="md" disabled={!purchasable} onClick={() => sku && addToCart(sku)}>
          {t('productDetail.addToCart')}
        </Button>
        <Button size="md" disabled={!purchasable} onClick={() => sku && buyNow(sku)}>
          {t('productDetail.buyNow')}
        </Button>
      </Group>

      {added && (
        <AddedToCart
          quantity={added.quantity}
          limited={added.limited}
          cartFull={added.cartFull ?? false}
          stock={sku?.stock ?? 0}
        />
      )}
    </Stack>
  );
}

function StockLine({
  sku,
  missing,
  hasSkus,
}: {
  sku: CatalogSku | undefined;
  missing: string[];
  hasSkus: boolean;
}) {
  let text: string;
  let color = 'dimmed';
  const t = i18n.t;
  if (!hasSkus) text = t('productDetail.notAvailable');
  else if (!sku)
    text = missing.length
      ? t('productDetail.chooseMissing', { names: missing.join(t('productDetail.and')) })
      : t('productDetail.combinationUnavailable');
  else if (sku.status === 'INACTIVE') text = t('productDetail.notAvailable');
  else if (!isPurchasable(sku)) {
    text = t('productDetail.soldOut');
    color = 'red.7';
  } else {
    text =
      sku.stock <= LOW_STOCK
        ? t('productDetail.onlyLeft', { count: sku.stock })
        : t('productDetail.inStock', { count: sku.stock });
    color = sku.stock <= LOW_STOCK ? 'orange.7' : 'teal.7';
  }
  return (
    <Text size="sm" fw={500} c={color} data-testid="sku-stock" aria-live="polite">
      {text}
    </Text>
  );
}

const LOW_STOCK = 5;

interface AddedToCartProps {
  quantity: number;
  limited: boolean;
  /** Nothing was added: the cart already holds as many different items as one order may. */
  cartFull: boolean;
  stock: number;
}

function AddedToCart({ quantity, limited, cartFull, stock }: AddedToCartProps) {
  const { t } = useTranslation();
  return (
    <Alert color={quantity > 0 ? 'teal' : 'orange'} variant="light" role="status">
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {cartFull
            ? t('productDetail.cartLinesFull', { max: MAX_CART_LINES })
            : quantity === 0
              ? t('productDetail.cartFull', { stock })
              : limited
                ? t('productDetail.addedLimited', { count: quantity, stock })
                : t('productDetail.added', { count: quantity })}
        </Text>
        <Anchor component={Link} to="/cart" size="sm" fw={600}>
          {t('productDetail.viewCart')}
        </Anchor>
      </Group>
    </Alert>
  );
}

function ProductGone() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" py="xl" align="center">
      <Title order={1}>{t('productDetail.goneTitle')}</Title>
      <Text c="dimmed">{t('productDetail.goneText')}</Text>
      <Button component={Link} to="/products" variant="light">
        {t('cart.browse')}
      </Button>
    </Stack>
  );
}
