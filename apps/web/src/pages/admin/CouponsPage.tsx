import { Anchor, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  adminCouponsQuery,
  type Coupon,
  type CouponSearch,
} from '../../admin-promotion/admin-promotion-api.ts';
import { couponSearchParams, parseCouponSearch } from '../../admin-promotion/promotion-search.ts';
import { describeDiscount, PROMOTION_STATUSES, type PromotionStatus } from '../../coupons/discount.ts';
import { formatDate, formatWon } from '../../lib/format.ts';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import { type ListLocationState, ListSearchBox } from './ListSearchBox.tsx';

export function CouponsPage() {
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
          Coupons
        </Title>
        <Button component={Link} to="/admin/coupons/new">
          New coupon
        </Button>
      </Group>

      <Group align="flex-end" gap="sm" wrap="wrap">
        <ListSearchBox
          key={search.q}
          initial={search.q}
          label="Search coupons"
          onSearch={(q) => changeSearch({ q })}
        />
        <NativeSelect
          label="Status"
          value={search.status}
          onChange={(event) => changeSearch({ status: event.currentTarget.value as PromotionStatus | '' })}
          data={[{ value: '', label: 'All statuses' }, ...PROMOTION_STATUSES]}
        />
        <ResultCount page={result} noun={['coupon', 'coupons']} />
      </Group>

      <PagedResults
        query={coupons}
        label="Coupon list pages"
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <CouponsTable coupons={rows} />}
      </PagedResults>
    </Stack>
  );
}

function CouponsTable({ coupons }: { coupons: Coupon[] }) {
  const { search } = useLocation();
  if (coupons.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        No coupons match these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Coupons">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Code</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Discount</Table.Th>
            <Table.Th ta="right">Min. order</Table.Th>
            <Table.Th>Valid</Table.Th>
            <Table.Th ta="right">Issued</Table.Th>
            <Table.Th>Status</Table.Th>
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
                {coupon.issuedCount.toLocaleString('en-US')}
                {coupon.totalIssueLimit !== null && ` / ${coupon.totalIssueLimit.toLocaleString('en-US')}`}
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
