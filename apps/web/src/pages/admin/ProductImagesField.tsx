import {
  ActionIcon,
  AspectRatio,
  Badge,
  Box,
  Button,
  Card,
  FileButton,
  Group,
  Image,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadProductImage } from '../../admin-catalog/admin-products-api.ts';
import { PRODUCT_LIMITS } from '../../admin-catalog/product-form.ts';
import type { ProductImage } from '../../catalog/catalog-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
/** product-service's default limit; it has the final say. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

interface ProductImagesFieldProps {
  images: ProductImage[];
  error: string | undefined;
  onChange: (images: ProductImage[]) => void;
}

/**
 * Uploads go up as soon as files are picked (each as the raw request body), and stay temporary on
 * the server until the product is saved with them. The first image is the main one.
 */
export function ProductImagesField({ images, error, onChange }: ProductImagesFieldProps) {
  const { t } = useTranslation();
  const [rejected, setRejected] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      const uploaded: ProductImage[] = [];
      for (const file of files) {
        const image = await uploadProductImage(file);
        uploaded.push({ id: image.id, url: image.url });
      }
      return uploaded;
    },
    onSuccess: (uploaded) => onChange([...images, ...uploaded]),
  });

  const pick = (files: File[]) => {
    const room = PRODUCT_LIMITS.images - images.length;
    const wrong = files.find((file) => !ACCEPTED_TYPES.includes(file.type) || file.size > MAX_IMAGE_BYTES);
    if (wrong) {
      setRejected(t('adminCatalog.images.wrongFile', { name: wrong.name }));
      return;
    }
    if (files.length > room) {
      setRejected(t('adminCatalog.images.tooMany', { max: PRODUCT_LIMITS.images }));
      return;
    }
    setRejected(null);
    if (files.length > 0) upload.mutate(files);
  };

  const move = (from: number, to: number) => {
    const next = [...images];
    const [image] = next.splice(from, 1);
    if (image) next.splice(to, 0, image);
    onChange(next);
  };

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <FileButton onChange={pick} accept={ACCEPTED_TYPES.join(',')} multiple>
          {(props) => (
            <Button
              {...props}
              variant="default"
              size="xs"
              loading={upload.isPending}
              disabled={images.length >= PRODUCT_LIMITS.images}
            >
              {t('adminCatalog.images.upload')}
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          {t('adminCatalog.images.hint', { used: images.length, max: PRODUCT_LIMITS.images })}
        </Text>
      </Group>
      {rejected && (
        <Text size="sm" c="red" role="alert">
          {rejected}
        </Text>
      )}
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      <ApiErrorAlert error={upload.error} title={t('adminCatalog.images.uploadFailed')} />
      {images.length > 0 && (
        <SimpleGrid
          cols={{ base: 3, sm: 5 }}
          spacing="sm"
          component="ol"
          p={0}
          m={0}
          aria-label={t('adminCatalog.images.list')}
        >
          {images.map((image, index) => (
            <Card key={image.id} component="li" withBorder padding={4} style={{ listStyle: 'none' }}>
              <Box pos="relative">
                <AspectRatio ratio={1}>
                  <Image
                    src={image.url}
                    alt={t('adminCatalog.images.image', { number: index + 1 })}
                    fit="cover"
                    radius="sm"
                  />
                </AspectRatio>
                {index === 0 && (
                  <Badge size="xs" pos="absolute" top={4} left={4}>
                    {t('adminCatalog.images.main')}
                  </Badge>
                )}
              </Box>
              <Group gap={2} justify="center" mt={4} wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  aria-label={t('adminCatalog.images.earlier', { number: index + 1 })}
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                >
                  ←
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  aria-label={t('adminCatalog.images.later', { number: index + 1 })}
                  disabled={index === images.length - 1}
                  onClick={() => move(index, index + 1)}
                >
                  →
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  aria-label={t('adminCatalog.images.remove', { number: index + 1 })}
                  onClick={() => onChange(images.filter((candidate) => candidate.id !== image.id))}
                >
                  ✕
                </ActionIcon>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
