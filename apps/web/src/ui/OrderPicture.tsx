import { Box, Image } from '@mantine/core';
import { pictureKind, productPictureUrl } from '../catalog/product-picture.ts';

/**
 * An order's picture in a list (its first product's), `size` px square: the uploaded image the order
 * names, else the one the shop draws from the first product's name (the demo shop's products have no
 * upload; an order carries no colour, so a neutral one). Where there is no name to draw from either,
 * an empty box of the same size, so every row's name starts at the same place.
 */
export function OrderPicture({
  url,
  productName,
  size,
}: {
  url: string | null;
  productName: string;
  size: number;
}) {
  const src = url ?? (productName.trim() ? productPictureUrl(pictureKind([], productName), null) : null);
  if (src) return <Image src={src} alt="" w={size} h={size} radius="sm" style={{ flexShrink: 0 }} />;
  return (
    <Box
      w={size}
      h={size}
      bg="gray.1"
      aria-hidden="true"
      data-testid="order-picture-none"
      style={{ flexShrink: 0, borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
}
