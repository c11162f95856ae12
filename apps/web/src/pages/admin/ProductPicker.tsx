import { Avatar, Button, Group, Loader, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AdminProductSearch,
  adminProductQuery,
  adminProductsQuery,
} from '../../admin-catalog/admin-products-api.ts';
import { isNotFoundError } from '../../api/api-error.ts';
import type { ProductStatus } from '../../catalog/catalog-api.ts';
import { formatWon } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { DeletedBadge, ProductStatusBadge } from './catalog-badges.tsx';

/** Long enough to skip the keystrokes of one word, short enough to feel immediate. */
const SEARCH_DEBOUNCE_MS = 250;
/** Results shown at once: a name narrows further. */
const RESULTS = 10;

/** What the picker shows of a product: never its id. */
interface PickedProduct {
  id: number;
  name: string;
  code: string;
  salePrice: number;
  status: ProductStatus;
  deleted: boolean;
  thumbnailUrl: string | null;
}

function searchByName(name: string): AdminProductSearch {
  return {
    name,
    code: '',
    status: '',
    displayed: null,
    categoryId: null,
    minPrice: null,
    maxPrice: null,
    held: false,
    stock: '',
    page: 0,
    size: RESULTS,
  };
}

/**
 * A product found by name (product-service's admin product search) and picked by its name and price;
 * `productId` is the picked product's id as the form holds it ('' for none), which only the server
 * reads. Full width and one result per row, so it works on a phone.
 */
export function ProductPicker({
  productId,
  onPick,
  error,
}: {
  productId: string;
  onPick: (productId: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const id = Number(productId);
  const hasPick = productId !== '' && Number.isSafeInteger(id) && id > 0;
  // The search result picked, until the form's value changes; a saved policy's product is read.
  const [picked, setPicked] = useState<PickedProduct | null>(null);
  const fromSearch = picked?.id === id ? picked : null;
  const saved = useQuery({ ...adminProductQuery(id), enabled: hasPick && !fromSearch });

  if (!hasPick) {
    return (
      <ProductSearch
        error={error}
        onPick={(product) => {
          setPicked(product);
          onPick(String(product.id));
        }}
      />
    );
  }

  const product: PickedProduct | null =
    fromSearch ??
    (saved.data
      ? {
          id: saved.data.id,
          name: saved.data.name,
          code: saved.data.code,
          salePrice: saved.data.salePrice,
          status: saved.data.status,
          deleted: saved.data.deleted,
          thumbnailUrl: saved.data.images[0]?.url ?? null,
        }
      : null);

  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} component="div">
        {t('adminPromotion.policyForm.product')}
      </Text>
      <Paper withBorder p="sm" radius="md" data-testid="picked-product" aria-live="polite">
        <Group justify="space-between" gap="sm" wrap="wrap">
          {product ? (
            <ProductRow product={product} />
          ) : saved.isPending ? (
            <Loader size="sm" aria-label={t('common.loading')} />
          ) : (
            <Text size="sm" c="red.7" style={{ flex: 1, minWidth: 0 }}>
              {isNotFoundError(saved.error)
                ? t('adminPromotion.policyForm.productMissing')
                : t('adminPromotion.policyForm.productUnreadable')}
            </Text>
          )}
          <Button
            variant="light"
            size="sm"
            onClick={() => {
              setPicked(null);
              onPick('');
            }}
          >
            {t('adminPromotion.policyForm.productChange')}
          </Button>
        </Group>
      </Paper>
      {error && (
        <Text size="sm" c="red.7">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function ProductSearch({
  onPick,
  error,
}: {
  onPick: (product: PickedProduct) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [typed] = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const found = useQuery({ ...adminProductsQuery(searchByName(typed)), enabled: typed !== '' });
  // A deleted product is listed only while it holds units for inspection: no policy can target it.
  const products = (found.data?.content ?? []).filter((product) => !product.deleted);
  const showing = typed !== '' && text.trim() !== '';

  return (
    <Stack gap="xs">
      <TextInput
        type="search"
        label={t('adminPromotion.policyForm.product')}
        description={t('adminPromotion.policyForm.productHint')}
        placeholder={t('adminPromotion.policyForm.productPlaceholder')}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        autoComplete="off"
        value={text}
        error={error}
        rightSection={showing && found.isFetching ? <Loader size="xs" /> : null}
        onChange={(event) => setText(event.currentTarget.value)}
        // The search runs as one types; Enter must not save the policy with no product picked.
        onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
          if (event.key === 'Enter') event.preventDefault();
        }}
      />
      {showing && found.isError && <ApiErrorAlert error={found.error} onRetry={() => void found.refetch()} />}
      {showing && found.isSuccess && products.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('adminPromotion.policyForm.productNone', { query: typed })}
        </Text>
      )}
      {showing && products.length > 0 && (
        <Stack
          component="ul"
          gap={4}
          p={0}
          m={0}
          aria-label={t('adminPromotion.policyForm.productResults')}
          style={{ listStyle: 'none' }}
        >
          {products.map((product) => (
            <li key={product.id}>
              <UnstyledButton
                type="button"
                w="100%"
                p="xs"
                mih={44}
                style={{
                  borderRadius: 'var(--mantine-radius-sm)',
                  border: '1px solid var(--mantine-color-gray-3)',
                }}
                onClick={() => onPick(product)}
              >
                <ProductRow product={product} />
              </UnstyledButton>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** Thumbnail, name (two lines at most), code and sale price; its status when not on sale. */
function ProductRow({ product }: { product: PickedProduct }) {
  return (
    <Group gap="sm" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
      <Avatar src={product.thumbnailUrl} alt="" radius="sm" size="md">
        {product.name.slice(0, 1)}
      </Avatar>
      <div style={{ flex: 1, minWidth: 0 }}>
        <Text size="sm" fw={500} lineClamp={2}>
          {product.name}
        </Text>
        <Group gap={6} wrap="wrap">
          <Text size="sm">{formatWon(product.salePrice)}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {product.code}
          </Text>
          {product.status !== 'ACTIVE' && <ProductStatusBadge status={product.status} />}
          {product.deleted && <DeletedBadge />}
        </Group>
      </div>
    </Group>
  );
}
