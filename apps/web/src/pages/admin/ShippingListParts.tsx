import { Anchor, NativeSelect, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Page } from '../../api/page.ts';
import { formatCount } from '../../lib/format.ts';
import { ListSearchBox } from './ListSearchBox.tsx';

// What the shipments list and the claim queues share: the filter row and the order's link.

/** Search by the whole order number or a part of it. */
export function OrderNumberSearch({
  initial,
  onSearch,
}: {
  initial: string;
  onSearch: (text: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <ListSearchBox
      key={initial}
      initial={initial}
      label={t('adminShipping.search')}
      fieldLabel={t('adminShipping.order')}
      placeholder={t('adminShipping.searchPlaceholder')}
      onSearch={onSearch}
    />
  );
}

/** A status filter over a server enum, each member by its label; '' is every status. */
export function StatusFilter<T extends string>({
  label,
  value,
  members,
  labelOf,
  onChange,
}: {
  label: string;
  value: T | '';
  members: readonly T[];
  labelOf: (member: T) => string;
  onChange: (value: T | '') => void;
}) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value as T | '')}
      data={[
        { value: '', label: t('adminShipping.allStatuses') },
        ...members.map((member) => ({ value: member, label: labelOf(member) })),
      ]}
    />
  );
}

/** "반품 12건" / "12 returns": what the list counts, announced as it changes. */
export function ListTotal({
  of,
  page,
}: {
  of: 'shipments' | 'returns' | 'exchanges';
  page: Page<unknown> | undefined;
}) {
  const { t } = useTranslation();
  if (!page) return null;
  const total = page.totalElements;
  return (
    <Text size="sm" c="dimmed" aria-live="polite" ml="auto" data-testid="list-total">
      {t(`adminShipping.total.${of}${total === 1 ? 'One' : 'Other'}`, { total: formatCount(total) })}
    </Text>
  );
}

/** The order number, linking to the admin's order page (its saga, timeline and payments). */
export function AdminOrderLink({ order }: { order: { orderId: string; orderNumber: string } }) {
  return (
    <Anchor
      component={Link}
      to={`/admin/orders/${encodeURIComponent(order.orderId)}`}
      fw={600}
      ff="monospace"
      size="sm"
    >
      {order.orderNumber}
    </Anchor>
  );
}
