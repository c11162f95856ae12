import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  adminCouponsQuery,
  type Coupon,
  type CouponSearch,
} from '../../admin-promotion/admin-promotion-api.ts';
import { couponSearchParams, parseCouponSearch } from '../../admin-promotion/promotion-search.ts';
import { describeDiscount } from '../../coupons/discount.ts';
import { formatCount, formatDate, formatWon } from '../../lib/format.ts';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import { type ListLocationState, ListSearchBox } from './ListSearchBox.tsx';
import { PromotionStatusFilter } from './PromotionStatusFilter.tsx';

export function CouponsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = parseCouponSearch(params);
  const coupons = useQuery(adminCouponsQuery(search));
  const changeSearch = (change: Partial<CouponSearch>) =>
    setParams(couponSearchParams({ ...search, page: 0, ...change }));
  const result = coupons.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('adminPromotion.coupons.title')}
        </Title>
        <Button component={Link} to="/admin/coupons/new">
          {t('adminPromotion.coupons.new')}
        </Button>
      </Group>

      <Group align="flex-end" gap="sm" wrap="wrap">
        <ListSearchBox
          key={search.q}
          initial={search.q}
          label={t('adminPromotion.coupons.search')}
          placeholder={t('adminPromotion.coupons.searchPlaceholder')}
          onSearch={(q) => changeSearch({ q })}
        />
        <PromotionStatusFilter value={search.status} onChange={(status) => changeSearch({ status })} />
        <ResultCount
          page={result}
          words={(count, total) =>
            t(count === 1 ? 'adminPromotion.coupons.countOne' : 'adminPromotion.coupons.countOther', {
              total,
            })
          }
        />
      </Group>

      <PagedResults
        query={coupons}
        label={t('adminPromotion.coupons.pages')}
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <CouponsTable coupons={rows} />}
      </PagedResults>
    </Stack>
  );
}

function CouponsTable({ coupons }: { coupons: Coupon[] }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  if (coupons.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminPromotion.coupons.none')}
      </Text>
    );
  }
  const columns: DataColumn<Coupon>[] = [
    {
      key: 'code',
      header: t('adminPromotion.coupons.code'),
      phone: 'title',
      cell: (coupon) => (
        <Anchor
          component={Link}
          to={`/admin/coupons/${coupon.id}`}
          state={{ listSearch: search } satisfies ListLocationState}
          fw={600}
          ff="monospace"
        >
          {coupon.code}
        </Anchor>
      ),
    },
    { key: 'name', header: t('adminPromotion.coupons.name'), cell: (coupon) => coupon.name },
    {
      key: 'discount',
      header: t('adminPromotion.list.discount'),
      cell: (coupon) => describeDiscount(coupon),
    },
    {
      key: 'minOrder',
      header: t('adminPromotion.list.minOrder'),
      align: 'right',
      cell: (coupon) => (coupon.minOrderAmount ? formatWon(coupon.minOrderAmount) : '—'),
    },
    {
      key: 'valid',
      header: t('adminPromotion.coupons.valid'),
      phone: 'date',
      cell: (coupon) => `${formatDate(coupon.validFrom)} – ${formatDate(coupon.validTo)}`,
    },
    {
      key: 'issued',
      header: t('adminPromotion.coupons.issued'),
      align: 'right',
      phone: 'amount',
      cell: (coupon) =>
        `${formatCount(coupon.issuedCount)}${coupon.totalIssueLimit !== null ? ` / ${formatCount(coupon.totalIssueLimit)}` : ''}`,
    },
    {
      key: 'status',
      header: t('adminPromotion.list.status'),
      phone: 'status',
      cell: (coupon) => <PromotionStatusBadge status={coupon.status} />,
    },
  ];
  return (
    <DataTable
      label={t('adminPromotion.coupons.table')}
      columns={columns}
      rows={coupons}
      rowKey={(coupon) => coupon.id}
      minWidth={860}
      highlightOnHover
      verticalSpacing="sm"
    />
  );
}
