import {
  Anchor,
  Box,
  Button,
  Card,
  CloseButton,
  Grid,
  Group,
  NumberInput,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { isApiError } from '../../api/api-error.ts';
import { type CartItem, cartTotal, lineTotal, MAX_LINE_QUANTITY } from '../../cart/cart-store.ts';
import { useCart } from '../../cart/use-cart.ts';
import { type CatalogSku, productDetailQuery } from '../../catalog/catalog-api.ts';
import { isPurchasable } from '../../catalog/sku-selection.ts';
import { formatWon } from '../../lib/format.ts';
import { ProductImage } from './ProductGrid.tsx';

/**
 * `/cart`: the lines kept in this browser (a guest's too), with what the catalog says about them now.
 * Prices are those seen when adding; checkout has the server price the order.
 */
export function CartPage() {
  const cart = useCart();
  const productIds = [...new Set(cart.items.map((line) => line.productId))];
  // Live availability per line; a product that cannot be read just shows no note.
  const details = useQueries({ queries: productIds.map((id) => productDetailQuery(id)) });
  const skuById = new Map<number, CatalogSku>();
  const goneProducts = new Set<number>();
  details.forEach((detail, index) => {
    if (detail.data) for (const sku of detail.data.skus) skuById.set(sku.id, sku);
    else if (isApiError(detail.error) && detail.error.status === 404)
      goneProducts.add(productIds[index] ?? 0);
  });

  const total = cartTotal(cart.items);

  if (cart.items.length === 0) {
    return (
      <Stack gap="sm" py="xl" align="center">
        <Title order={1}>Your cart is empty</Title>
        <Text c="dimmed">Find something you like and add it here.</Text>
        <Button component={Link} to="/products" variant="light">
          Browse products
        </Button>
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Cart
      </Title>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder padding={0}>
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="sm" aria-label="Cart items">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Item</Table.Th>
                    <Table.Th ta="right">Price</Table.Th>
                    <Table.Th>Quantity</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Remove</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {cart.items.map((line) => (
                    <CartLine
                      key={line.skuId}
                      line={line}
                      sku={skuById.get(line.skuId)}
                      gone={goneProducts.has(line.productId)}
                      onQuantity={(quantity) => cart.update(line.skuId, quantity)}
                      onRemove={() => cart.remove(line.skuId)}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder padding="lg" component="section" aria-labelledby="cart-summary-title">
            <Stack gap="sm">
              <Title id="cart-summary-title" order={2} size="h4">
                Summary
              </Title>
              <Group justify="space-between">
                <Text c="dimmed">Items</Text>
                <Text data-testid="cart-item-count">{cart.itemCount}</Text>
              </Group>
              <Group justify="space-between">
                <Text fw={600}>Total</Text>
                <Text fw={700} size="lg" data-testid="cart-total">
                  {formatWon(total)}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                Coupons, points and delivery are settled at checkout.
              </Text>
              <Button component={Link} to="/checkout" size="md" fullWidth>
                Checkout
              </Button>
              <Button variant="subtle" color="gray" size="xs" onClick={cart.clear}>
                Empty the cart
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
  gone: boolean;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}

function CartLine({ line, sku, gone, onQuantity, onRemove }: CartLineProps) {
  const description = line.optionLabel ? `${line.name} (${line.optionLabel})` : line.name;
  const note = availabilityNote(line, sku, gone);
  return (
    <Table.Tr data-testid="cart-line">
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Box w={56} style={{ flexShrink: 0, borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}>
            <ProductImage url={line.imageUrl ?? null} alt="" />
          </Box>
          <div>
            <Anchor component={Link} to={`/products/${line.productId}`} fw={500} size="sm">
              {line.name}
            </Anchor>
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
          </div>
        </Group>
      </Table.Td>
      <Table.Td ta="right">{formatWon(line.unitPrice)}</Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={`Quantity of ${description}`}
          value={line.quantity}
          onChange={(value) => {
            const quantity = Math.trunc(Number(value));
            if (quantity >= 1) onQuantity(quantity);
          }}
          min={1}
          max={Math.max(
            1,
            Math.min(MAX_LINE_QUANTITY, sku && isPurchasable(sku) ? sku.stock : MAX_LINE_QUANTITY),
          )}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="strict"
          w={96}
          size="xs"
        />
      </Table.Td>
      <Table.Td ta="right" fw={600}>
        {formatWon(lineTotal(line))}
      </Table.Td>
      <Table.Td>
        <CloseButton aria-label={`Remove ${description}`} onClick={onRemove} />
      </Table.Td>
    </Table.Tr>
  );
}

function availabilityNote(
  line: CartItem,
  sku: CatalogSku | undefined,
  gone: boolean,
): { text: string; color: string } | null {
  if (gone) return { text: 'No longer on sale', color: 'red.7' };
  if (!sku) return null;
  if (sku.status === 'INACTIVE') return { text: 'No longer on sale', color: 'red.7' };
  if (!isPurchasable(sku)) return { text: 'Sold out', color: 'red.7' };
  if (sku.stock < line.quantity) return { text: `Only ${sku.stock} left`, color: 'orange.7' };
  if (sku.price !== line.unitPrice) return { text: `Now ${formatWon(sku.price)}`, color: 'orange.7' };
  return null;
}
