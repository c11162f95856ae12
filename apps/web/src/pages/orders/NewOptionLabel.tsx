import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { productDetailQuery } from '../../catalog/catalog-api.ts';
import { optionLabel } from '../../orders/orders-api.ts';

/**
 * "→ 블랙 / L": the option an exchange sends, named as the catalog names it. Claims carry only the
 * new SKU's id; nothing is shown until the product (known from the order's line) has loaded.
 */
export function NewOptionLabel({ productId, skuId }: { productId: number | undefined; skuId: number }) {
  const { t } = useTranslation();
  const product = useQuery({ ...productDetailQuery(productId ?? 0), enabled: productId !== undefined });
  const sku = product.data?.skus.find((candidate) => candidate.id === skuId);
  return sku ? t('afterSale.exchangeTo', { option: optionLabel(sku.options) }) : null;
}
