import { Box, Image } from '@mantine/core';

/**
 * An order's picture in a list (its first product's), `size` px square; where the order has none (one
 * placed before its lines kept a picture), an empty box of the same size, so every row's name starts
 * at the same place.
 */
export function OrderPicture({ url, size }: { url: string | null; size: number }) {
  if (url) return <Image src={url} alt="" w={size} h={size} radius="sm" style={{ flexShrink: 0 }} />;
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
