import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  CloseButton,
  Grid,
  Group,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/api-error.ts';
import {
  answeredThisVisit,
  foldPriceChanges,
  type PriceChange,
  refreshCartPrices,
} from '../../cart/cart-prices.ts';
import {
  cart as browserCart,
  type CartItem,
  cartTotal,
  lineTotal,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
} from '../../cart/cart-store.ts';
import { useCart } from '../../cart/use-cart.ts';
import { type CatalogSku, type ProductDetail, productDetailQuery } from '../../catalog/catalog-api.ts';
import { isPurchasable } from '../../catalog/sku-selection.ts';
import { skuPictureUrl } from '../../catalog/use-product-picture.ts';
import { i18n } from '../../i18n/i18n.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatWon } from '../../lib/format.ts';
import { CardList, CardListItem } from '../../ui/CardList.tsx';
import { QuantityInput } from '../../ui/QuantityInput.tsx';
import { ProductImage } from './ProductGrid.tsx';

/**
 * `/cart`: the lines kept in this browser (a guest's too), with what the catalog says about them now.
 * The lines take the catalog's current prices as it answers (the page says which changed since they
 * were added); checkout has the server price the order.
 */
export function CartPage() {
  const cart = useCart();
  const productIds = [...new Set(cart.items.map((line) => line.productId))];
  // Live availability and prices per line, read again on every visit (not a copy cached from the
  // product page); a product that cannot be read just shows no note and keeps its price.
  const details = useQueries({
    queries: productIds.map((id) => ({ ...productDetailQuery(id), refetchOnMount: 'always' as const })),
  });
  const [priceChanges, setPriceChanges] = useState<readonly PriceChange[]>([]);
  const takeCurrentPrices = useEffectEvent(() => {
    const changes = refreshCartPrices(browserCart, answeredThisVisit(details));
    if (changes.length > 0) setPriceChanges((seen) => foldPriceChanges(seen, changes));
  });
  // Changes whenever a product's answer of this visit arrives; empty until the first does.
  const answered = answeredThisVisit(details)
    .map((detail) => detail.answeredAt)
    .join();
  useEffect(() => {
    if (answered) takeCurrentPrices();
  }, [answered]);
  // Of the lines still in the cart.
  const changedLines = priceChanges.filter((change) =>
    cart.items.some((line) => line.skuId === change.skuId),
  );
  const skuById = new Map<number, CatalogSku>();
  const productById = new Map<number, ProductDetail>();
  const goneProducts = new Set<number>();
  details.forEach((detail, index) => {
    if (detail.data) {
      productById.set(detail.data.id, detail.data);
      for (const sku of detail.data.skus) skuById.set(sku.id, sku);
    } else if (isApiError(detail.error) && detail.error.status === 404)
      goneProducts.add(productIds[index] ?? 0);
  });

  const pictureOf = (productId: number, skuId: number) => {
    const product = productById.get(productId);
    return product ? skuPictureUrl(product, skuId) : null;
  };

  const total = cartTotal(cart.items);
  // A cart merged at login may hold more different items than one order can: remove some first.
  const tooManyLines = Math.max(0, cart.items.length - MAX_CART_LINES);
  const { t } = useTranslation();
  usePageTitle(t('cart.title'));

  if (cart.items.length === 0) {
    return (
      <Stack gap="sm" py="xl" align="center">
        <Title order={1}>{t('cart.emptyTitle')}</Title>
        <Text c="dimmed">{t('cart.emptyText')}</Text>
        <Button component={Link} to="/products" variant="light">
          {t('cart.browse')}
        </Button>
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('cart.title')}
      </Title>
      {changedLines.length > 0 && <PriceChangeNotice changes={changedLines} />}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          {/* A list of cards, not a table: quantity, price and remove stay visible at 390 px. */}
          <Card withBorder padding={0}>
            <CardList label={t('cart.items')}>
              {cart.items.map((line) => (
                <CartLine
                  key={line.skuId}
                  line={line}
                  sku={skuById.get(line.skuId)}
                  picture={pictureOf(line.productId, line.skuId)}
                  gone={goneProducts.has(line.productId)}
                  priceChange={changedLines.find((change) => change.skuId === line.skuId)}
                  onQuantity={(quantity) => cart.update(line.skuId, quantity)}
                  onRemove={() => cart.remove(line.skuId)}
                />
              ))}
            </CardList>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder padding="lg" component="section" aria-labelledby="cart-summary-title">
            <Stack gap="sm">
              <Title id="cart-summary-title" order={2} size="h4">
                {t('cart.summary')}
              </Title>
              <Group justify="space-between">
                <Text c="dimmed">{t('cart.itemCount')}</Text>
                <Text data-testid="cart-item-count">{cart.itemCount}</Text>
              </Group>
              <Group justify="space-between">
                <Text fw={600}>{t('cart.total')}</Text>
                <Text fw={700} size="lg" data-testid="cart-total">
                  {formatWon(total)}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {t('cart.settledAtCheckout')}
              </Text>
              {tooManyLines > 0 ? (
                <>
                  <Alert color="orange" variant="light" title={t('cart.tooManyLinesTitle')} role="alert">
                    {t('cart.tooManyLines', { max: MAX_CART_LINES, count: tooManyLines })}
                  </Alert>
                  <Button size="md" fullWidth disabled>
                    {t('cart.checkout')}
                  </Button>
                </>
              ) : (
                <Button component={Link} to="/checkout" size="md" fullWidth>
                  {t('cart.checkout')}
                </Button>
              )}
              <Button variant="subtle" color="gray" size="xs" onClick={cart.clear}>
                {t('cart.clear')}
              </Button>
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

interface CartLineProps {
  line: CartItem;
  /** The SKU as the catalog has it now; undefined while loading or when it is gone. */
  sku: CatalogSku | undefined;
  /** The drawn picture, once the product's detail is in. */
  picture: string | null;
  gone: boolean;
  /** How its price moved on this visit, if it did. */
  priceChange: PriceChange | undefined;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}

function CartLine({ line, sku, picture, gone, priceChange, onQuantity, onRemove }: CartLineProps) {
  const { t } = useTranslation();
  const description = line.optionLabel ? `${line.name} (${line.optionLabel})` : line.name;
  const note = availabilityNote(line, sku, gone) ?? priceChangeNote(priceChange);
  return (
    <CardListItem testId="cart-line">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Box w={72} style={{ flexShrink: 0, borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}>
          <ProductImage url={line.imageUrl ?? picture} alt="" />
        </Box>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <Anchor component={Link} to={`/products/${line.productId}`} fw={500} size="sm" lineClamp={2}>
              {line.name}
            </Anchor>
            <CloseButton
              size="sm"
              aria-label={t('cart.removeItem', { item: description })}
              onClick={onRemove}
            />
          </Group>
          {line.optionLabel && (
            <Text size="xs" c="dimmed">
              {line.optionLabel}
            </Text>
          )}
          {note && (
            <Text size="xs" c={note.color} fw={500}>
              {note.text}
            </Text>
          )}
          <Group justify="space-between" wrap="wrap" gap="xs" mt={4}>
            <QuantityInput
              aria-label={t('cart.quantityOf', { item: description })}
              value={line.quantity}
              onChange={onQuantity}
              max={Math.max(
                1,
                Math.min(MAX_LINE_QUANTITY, sku && isPurchasable(sku) ? sku.stock : MAX_LINE_QUANTITY),
              )}
              w={96}
              size="xs"
            />
            <Stack gap={0} align="flex-end">
              <Text fw={700}>{formatWon(lineTotal(line))}</Text>
              {line.quantity > 1 && (
                <Text size="xs" c="dimmed">
                  {formatWon(line.unitPrice)} × {line.quantity}
                </Text>
              )}
            </Stack>
          </Group>
        </Stack>
      </Group>
    </CardListItem>
  );
}

/** Which lines' prices changed since they were added; the totals already use the new ones. */
function PriceChangeNotice({ changes }: { changes: readonly PriceChange[] }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" role="status" title={t('cart.pricesChanged')}>
      <Stack gap={4}>
        {changes.map((change) => (
          <Text size="sm" key={change.skuId}>
            {t('cart.priceChangedLine', {
              item: change.optionLabel ? `${change.name} (${change.optionLabel})` : change.name,
              from: formatWon(change.from),
              to: formatWon(change.to),
            })}
          </Text>
        ))}
        <Text size="sm">{t('cart.pricesChangedTotal')}</Text>
      </Stack>
    </Alert>
  );
}

function priceChangeNote(change: PriceChange | undefined): { text: string; color: string } | null {
  if (!change) return null;
  return {
    text: i18n.t('cart.priceWas', { price: formatWon(change.from) }),
    color: change.to < change.from ? 'teal.7' : 'orange.7',
  };
}

function availabilityNote(
  line: CartItem,
  sku: CatalogSku | undefined,
  gone: boolean,
): { text: string; color: string } | null {
  if (gone) return { text: i18n.t('cart.gone'), color: 'red.7' };
  if (!sku) return null;
  if (sku.status === 'INACTIVE') return { text: i18n.t('cart.gone'), color: 'red.7' };
  if (!isPurchasable(sku)) return { text: i18n.t('cart.soldOut'), color: 'red.7' };
  if (sku.stock < line.quantity)
    return { text: i18n.t('cart.onlyLeft', { count: sku.stock }), color: 'orange.7' };
  if (sku.price !== line.unitPrice)
    return { text: i18n.t('cart.nowPrice', { price: formatWon(sku.price) }), color: 'orange.7' };
  return null;
}
