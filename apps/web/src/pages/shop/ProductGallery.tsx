import { AspectRatio, Group, Image, Stack, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductImage as ProductImageRef } from '../../catalog/catalog-api.ts';
import { ProductImage } from './ProductGrid.tsx';

interface ProductGalleryProps {
  images: ProductImageRef[];
  name: string;
  /** The drawn picture (in the chosen colour), for a product without uploaded images. */
  drawn: { url: string; colour: string | null };
}

/** The main picture and, when there are several, thumbnails that switch it. */
export function ProductGallery({ images, name, drawn }: ProductGalleryProps) {
  const [index, setIndex] = useState(0);
  const { t } = useTranslation();
  const shown = images[index] ?? images[0];
  if (!shown) {
    return (
      <Stack gap="xs" component="section" aria-label={t('productDetail.images')}>
        <ProductImage url={drawn.url} alt={drawn.colour ? `${name}, ${drawn.colour}` : name} />
      </Stack>
    );
  }
  return (
    <Stack gap="xs" component="section" aria-label={t('productDetail.images')}>
      <ProductImage
        url={shown.url}
        alt={images.length > 1 ? t('productDetail.imageOf', { name, number: index + 1 }) : name}
      />
      {images.length > 1 && (
        <Group gap="xs">
          {images.map((image, position) => (
            <UnstyledButton
              key={image.id}
              onClick={() => setIndex(position)}
              aria-label={t('productDetail.showImage', { number: position + 1, count: images.length })}
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
