import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StockMovementType } from '../../admin-catalog/admin-products-api.ts';
import type { ProductStatus } from '../../catalog/catalog-api.ts';

// Catalog badges live here rather than in ui/badges.tsx, which the order screens are changing.

const PRODUCT_STATUS_COLORS: Record<ProductStatus, string> = {
  ACTIVE: 'teal',
  INACTIVE: 'gray',
  SOLD_OUT: 'dark',
};

/** Products and SKUs share the statuses. */
export function ProductStatusBadge({ status }: { status: ProductStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRODUCT_STATUS_COLORS[status] ?? 'gray'} variant="light">
      {t(`status.product.${status}`)}
    </Badge>
  );
}

export function DisplayedBadge({ displayed }: { displayed: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={displayed ? 'blue' : 'gray'} variant={displayed ? 'light' : 'outline'}>
      {t(displayed ? 'adminCatalog.displayed.shown' : 'adminCatalog.displayed.hidden')}
    </Badge>
  );
}

/** Soft-deleted (kept for its orders, never shown in the shop). */
export function DeletedBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="outline">
      {t('adminCatalog.deletedBadge')}
    </Badge>
  );
}

const MOVEMENT_COLORS: Record<StockMovementType, string> = {
  INITIAL: 'gray',
  ADJUST: 'orange',
  RESERVE: 'yellow',
  RELEASE: 'cyan',
  SELL: 'teal',
  RESTOCK: 'blue',
  RETURN: 'grape',
  HOLD: 'red',
  RELEASE_HELD: 'lime',
  DISCARD: 'dark',
};

export function MovementTypeBadge({ type }: { type: StockMovementType }) {
  const { t } = useTranslation();
  return (
    <Badge color={MOVEMENT_COLORS[type] ?? 'gray'} variant="light">
      {t(`adminCatalog.movementType.${type}`)}
    </Badge>
  );
}
