import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { productDetailQuery } from '../../catalog/catalog-api.ts';
import type { Claim } from '../../orders/after-sale-api.ts';
import { optionLabel } from '../../orders/orders-api.ts';

type ClaimItem = Claim['items'][number];

/**
 * One line of a return or an exchange: "티셔츠 (블랙 / M) 1개", and for an exchange "→ 블랙 / L".
 * Claims carry only the new option's SKU id; `productId` (from the order's line) lets the catalog
 * name it, and nothing is added until it has.
 */
export function ClaimItemText({ item, productId }: { item: ClaimItem; productId: number | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      {item.optionLabel
        ? t('afterSale.itemLineOption', {
            name: item.productName,
            option: item.optionLabel,
            count: item.quantity,
          })
        : t('afterSale.itemLine', { name: item.productName, count: item.quantity })}
      {item.newSkuId !== null && <NewOptionLabel productId={productId} skuId={item.newSkuId} />}
    </>
  );
}

function NewOptionLabel({ productId, skuId }: { productId: number | undefined; skuId: number }) {
  const { t } = useTranslation();
  const product = useQuery({ ...productDetailQuery(productId ?? 0), enabled: productId !== undefined });
  const sku = product.data?.skus.find((candidate) => candidate.id === skuId);
  return sku ? ` ${t('afterSale.exchangeTo', { option: optionLabel(sku.options) })}` : null;
}
