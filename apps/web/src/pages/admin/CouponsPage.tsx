import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
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
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm" aria-label={t('adminPromotion.coupons.table')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('adminPromotion.coupons.code')}</Table.Th>
            <Table.Th>{t('adminPromotion.coupons.name')}</Table.Th>
            <Table.Th>{t('adminPromotion.list.discount')}</Table.Th>
            <Table.Th ta="right">{t('adminPromotion.list.minOrder')}</Table.Th>
            <Table.Th>{t('adminPromotion.coupons.valid')}</Table.Th>
            <Table.Th ta="right">{t('adminPromotion.coupons.issued')}</Table.Th>
            <Table.Th>{t('adminPromotion.list.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {coupons.map((coupon) => (
            <Table.Tr key={coupon.id}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/admin/coupons/${coupon.id}`}
                  state={{ listSearch: search } satisfies ListLocationState}
                  fw={600}
                  ff="monospace"
                >
                  {coupon.code}
                </Anchor>
              </Table.Td>
              <Table.Td>{coupon.name}</Table.Td>
              <Table.Td>{describeDiscount(coupon)}</Table.Td>
              <Table.Td ta="right">{coupon.minOrderAmount ? formatWon(coupon.minOrderAmount) : '—'}</Table.Td>
              <Table.Td>
                {formatDate(coupon.validFrom)} – {formatDate(coupon.validTo)}
              </Table.Td>
              <Table.Td ta="right">
                {formatCount(coupon.issuedCount)}
                {coupon.totalIssueLimit !== null && ` / ${formatCount(coupon.totalIssueLimit)}`}
              </Table.Td>
              <Table.Td>
                <PromotionStatusBadge status={coupon.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
