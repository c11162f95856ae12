import { Alert, Anchor, Button, Card, Group, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import {
  type AdminProduct,
  adminProductQuery,
  adminProductsQueryPrefix,
  deleteProduct,
} from '../../admin-catalog/admin-products-api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { DeletedBadge, DisplayedBadge, ProductStatusBadge } from './catalog-badges.tsx';
import { KeywordEditor } from './KeywordEditor.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';
import { ProductEditor } from './ProductEditor.tsx';
import { StockPanel } from './StockPanel.tsx';

/** `/admin/products/new` creates; `/admin/products/:id` edits, with keywords, stock and deletion. */
export function ProductFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const listSearch = (useLocation().state as ListLocationState | null)?.listSearch ?? '';
  const productId = id === undefined ? undefined : Number(id);
  const isValidId = productId === undefined || (Number.isSafeInteger(productId) && productId > 0);
  const product = useQuery({
    ...adminProductQuery(productId ?? 0),
    enabled: productId !== undefined && isValidId,
  });

  if (!isValidId) return <NotFoundPage />;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/admin/products${listSearch}`} size="sm">
        {t('adminCatalog.product.back')}
      </Anchor>
      {productId === undefined ? (
        <ProductEditor listSearch={listSearch} />
      ) : (
        <>
          {product.isPending && <Skeleton h={520} />}
          {product.isError && <ApiErrorAlert error={product.error} onRetry={() => void product.refetch()} />}
          {product.data && (
            <>
              <ProductFacts product={product.data} listSearch={listSearch} />
              {/* Keyed by the server's version so the form starts again from the saved product. */}
              <ProductEditor key={product.data.version} product={product.data} listSearch={listSearch} />
              <KeywordEditor productId={product.data.id} />
              <StockPanel product={product.data} />
            </>
          )}
        </>
      )}
    </Stack>
  );
}

function ProductFacts({ product, listSearch }: { product: AdminProduct; listSearch: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteProduct(product.id),
    onSuccess: async () => {
      setConfirming(false);
      queryClient.removeQueries(adminProductQuery(product.id));
      await queryClient.invalidateQueries({ queryKey: [...adminProductsQueryPrefix, 'list'] });
      notifications.show({
        color: 'teal',
        message: t('adminCatalog.product.deleted', { code: product.code }),
      });
      await navigate(`/admin/products${listSearch}`);
    },
    onError: () => setConfirming(false),
  });

  return (
    <Card withBorder padding="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          {product.deleted && <DeletedBadge />}
          <ProductStatusBadge status={product.status} />
          <DisplayedBadge displayed={product.displayed} />
          <Text size="sm" c="dimmed">
            {t('adminCatalog.product.facts', {
              code: product.code,
              version: product.version,
              updated: formatDateTime(product.updatedAt),
            })}
          </Text>
        </Group>
        {/* A deleted product is in no shop and cannot be deleted again. */}
        {!product.deleted && (
          <Group gap="xs">
            {product.displayed && product.status !== 'INACTIVE' && (
              <Button component={Link} to={`/products/${product.id}`} size="xs" variant="default">
                {t('adminCatalog.product.viewInShop')}
              </Button>
            )}
            <Button size="xs" variant="subtle" color="red" onClick={() => setConfirming(true)}>
              {t('adminCatalog.product.delete')}
            </Button>
          </Group>
        )}
      </Group>
      {product.deleted && (
        <Alert color="gray" mt="sm" p="xs">
          {t('adminCatalog.product.deletedNote')}
        </Alert>
      )}
      <ApiErrorAlert error={remove.error} title={t('adminCatalog.product.deleteFailed')} />
      <ConfirmDialog
        opened={confirming}
        title={t('adminCatalog.product.deleteTitle')}
        confirmLabel={t('adminCatalog.product.delete')}
        danger
        loading={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirming(false)}
      >
        {t('adminCatalog.product.deleteText', { name: product.name })}
      </ConfirmDialog>
    </Card>
  );
}
