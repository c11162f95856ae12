import { Anchor, Card, Group, Pagination, Skeleton, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  MY_COUPON_STATUSES,
  MY_COUPONS_PAGE_SIZE,
  type MyCoupon,
  myCouponsQuery,
} from '../../coupons/coupons-api.ts';
import { describeDiscount, describeMinimum } from '../../coupons/discount.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatDate } from '../../lib/format.ts';
import { pageParamValue, readPageIndex } from '../../lib/page-param.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { MyCouponStatusBadge } from '../../ui/badges.tsx';
import { CouponClaimForm } from './CouponClaimForm.tsx';

export function MyCouponsPage() {
  const [params, setParams] = useSearchParams();
  const { t } = useTranslation();
  usePageTitle(t('title.coupons'));
  const status = MY_COUPON_STATUSES.find((value) => value === params.get('status')) ?? 'ISSUED';
  const page = readPageIndex(params);
  const coupons = useQuery(myCouponsQuery(status, { page, size: MY_COUPONS_PAGE_SIZE }));

  const showTab = (next: string | null) => setParams(next && next !== 'ISSUED' ? { status: next } : {});

  const goToPage = (oneBased: number) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      const value = pageParamValue(oneBased - 1);
      if (value) next.set('page', value);
      else next.delete('page');
      return next;
    });

  const result = coupons.data;

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('couponsPage.title')}
      </Title>
      <CouponClaimForm />

      <Tabs value={status} onChange={showTab} keepMounted={false}>
        <Tabs.List aria-label={t('couponsPage.states')}>
          {MY_COUPON_STATUSES.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {t(`status.coupon.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {MY_COUPON_STATUSES.map((value) => (
          <Tabs.Panel key={value} value={value} pt="md">
            {coupons.isError && (
              <ApiErrorAlert error={coupons.error} onRetry={() => void coupons.refetch()} />
            )}
            <Card withBorder padding={0} opacity={coupons.isPlaceholderData ? 0.6 : 1}>
              {coupons.isPending ? (
                <Skeleton h={200} />
              ) : (
                result && (
                  <CouponsTable coupons={result.content} emptyMessage={t(`couponsPage.empty.${value}`)} />
                )
              )}
            </Card>
            {result && result.totalPages > 1 && (
              <Group justify="center" mt="md">
                <Pagination
                  total={result.totalPages}
                  value={result.page + 1}
                  onChange={goToPage}
                  aria-label={t('couponsPage.pages')}
                />
              </Group>
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function CouponsTable({ coupons, emptyMessage }: { coupons: MyCoupon[]; emptyMessage: string }) {
  const { t } = useTranslation();
  if (coupons.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {emptyMessage}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" aria-label={t('couponsPage.list')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('couponsPage.coupon')}</Table.Th>
            <Table.Th>{t('couponsPage.discount')}</Table.Th>
            <Table.Th>{t('couponsPage.valid')}</Table.Th>
            <Table.Th>{t('couponsPage.status')}</Table.Th>
            <Table.Th>{t('couponsPage.order')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {coupons.map((coupon) => (
            <Table.Tr key={coupon.couponId}>
              <Table.Td>
                <Text fw={600}>{coupon.name}</Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {coupon.code}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text>{describeDiscount(coupon)}</Text>
                {describeMinimum(coupon.minOrderAmount) && (
                  <Text size="xs" c="dimmed">
                    {describeMinimum(coupon.minOrderAmount)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {formatDate(coupon.validFrom)} – {formatDate(coupon.validTo)}
              </Table.Td>
              <Table.Td>
                <MyCouponStatusBadge status={coupon.status} />
              </Table.Td>
              <Table.Td>
                {coupon.orderId ? (
                  <Anchor component={Link} to={`/me/orders/${encodeURIComponent(coupon.orderId)}`} size="sm">
                    {t('couponsPage.viewOrder')}
                  </Anchor>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
