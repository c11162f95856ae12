import { AspectRatio, Group, Image, Stack, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { ProductImage as ProductImageRef } from '../../catalog/catalog-api.ts';
import { ProductImage } from './ProductGrid.tsx';

/** The main picture and, when there are several, thumbnails that switch it. */
export function ProductGallery({ images, name }: { images: ProductImageRef[]; name: string }) {
  const [index, setIndex] = useState(0);
  const shown = images[index] ?? images[0];
  return (
    <Stack gap="xs" component="section" aria-label="Product images">
      <ProductImage url={shown?.url ?? null} alt={images.length > 1 ? `${name}, image ${index + 1}` : name} />
      {images.length > 1 && (
        <Group gap="xs">
          {images.map((image, position) => (
            <UnstyledButton
              key={image.id}
              onClick={() => setIndex(position)}
              aria-label={`Show image ${position + 1} of ${images.length}`}
              aria-pressed={position === index}
              w={64}
              style={{
                borderRadius: 'var(--mantine-radius-sm)',
                outline: position === index ? '2px solid var(--mantine-color-teal-6)' : undefined,
                outlineOffset: 2,
                overflow: 'hidden',
              }}
            >
              <AspectRatio ratio={1}>
                <Image src={image.url} alt="" fit="cover" />
              </AspectRatio>
            </UnstyledButton>
          ))}
        </Group>
      )}
    </Stack>
  );
}
