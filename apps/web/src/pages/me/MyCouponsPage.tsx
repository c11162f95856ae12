import { Anchor, Card, Group, Pagination, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
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
import { CardList, CardListItem } from '../../ui/CardList.tsx';
import { isPastLastPage, PastLastPage } from '../../ui/PagedResults.tsx';
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
                result &&
                (isPastLastPage(result) ? (
                  <PastLastPage onFirstPage={() => goToPage(1)} />
                ) : (
                  <CouponsList coupons={result.content} emptyMessage={t(`couponsPage.empty.${value}`)} />
                ))
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

function CouponsList({ coupons, emptyMessage }: { coupons: MyCoupon[]; emptyMessage: string }) {
  const { t } = useTranslation();
  if (coupons.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {emptyMessage}
      </Text>
    );
  }
  // One card per coupon (name, discount, dates; status on the right): readable at 390 px, no
  // sideways scrolling, as my orders and points are.
  return (
    <CardList label={t('couponsPage.list')}>
      {coupons.map((coupon) => {
        const minimum = describeMinimum(coupon.minOrderAmount);
        return (
          <CardListItem key={coupon.couponId} padding="md" testId="my-coupon">
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {coupon.name}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {coupon.code}
                </Text>
                <Text size="sm">{describeDiscount(coupon)}</Text>
                {minimum && (
                  <Text size="xs" c="dimmed">
                    {minimum}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {t('couponsPage.valid')} {formatDate(coupon.validFrom)} – {formatDate(coupon.validTo)}
                </Text>
              </Stack>
              <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
                <MyCouponStatusBadge status={coupon.status} />
                {coupon.orderId && (
                  <Anchor component={Link} to={`/me/orders/${encodeURIComponent(coupon.orderId)}`} size="sm">
                    {t('couponsPage.viewOrder')}
                  </Anchor>
                )}
              </Stack>
            </Group>
          </CardListItem>
        );
      })}
    </CardList>
  );
}
