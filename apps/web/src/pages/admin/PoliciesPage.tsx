import { Anchor, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  adminPoliciesQuery,
  POLICY_TARGETS,
  type Policy,
  type PolicySearch,
  type PolicyTarget,
} from '../../admin-promotion/admin-promotion-api.ts';
import { parsePolicySearch, policySearchParams } from '../../admin-promotion/promotion-search.ts';
import { describeDiscount, PROMOTION_STATUSES, type PromotionStatus } from '../../coupons/discount.ts';
import { formatDate, formatWon } from '../../lib/format.ts';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';

export function PoliciesPage() {
  const [params, setParams] = useSearchParams();
  const search = parsePolicySearch(params);
  const policies = useQuery(adminPoliciesQuery(search));
  const changeSearch = (change: Partial<PolicySearch>) =>
    setParams(policySearchParams({ ...search, page: 0, ...change }));
  const result = policies.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Discount policies
          </Title>
          <Text size="sm" c="dimmed">
            Applied automatically by every quote while active and valid: product and category policies first,
            then order policies, then at most one coupon.
          </Text>
        </div>
        <Button component={Link} to="/admin/policies/new">
          New policy
        </Button>
      </Group>

      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label="Target"
          value={search.targetType}
          onChange={(event) => changeSearch({ targetType: event.currentTarget.value as PolicyTarget | '' })}
          data={[{ value: '', label: 'All targets' }, ...POLICY_TARGETS]}
        />
        <NativeSelect
          label="Status"
          value={search.status}
          onChange={(event) => changeSearch({ status: event.currentTarget.value as PromotionStatus | '' })}
          data={[{ value: '', label: 'All statuses' }, ...PROMOTION_STATUSES]}
        />
        <ResultCount page={result} noun={['policy', 'policies']} />
      </Group>

      <PagedResults
        query={policies}
        label="Policy list pages"
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <PoliciesTable policies={rows} />}
      </PagedResults>
    </Stack>
  );
}

/** `Product #12`, `Category #3 and below`, `Whole order`. */
export function describeTarget(policy: Pick<Policy, 'targetType' | 'targetId'>): string {
  switch (policy.targetType) {
    case 'PRODUCT':
      return `Product #${policy.targetId}`;
    case 'CATEGORY':
      return `Category #${policy.targetId} and below`;
    case 'ORDER':
      return 'Whole order';
  }
}

function PoliciesTable({ policies }: { policies: Policy[] }) {
  const { search } = useLocation();
  if (policies.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        No discount policies match these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Discount policies">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Discount</Table.Th>
            <Table.Th ta="right">Min. order</Table.Th>
            <Table.Th>Valid</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {policies.map((policy) => (
            <Table.Tr key={policy.id}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/admin/policies/${policy.id}`}
                  state={{ listSearch: search } satisfies ListLocationState}
                  fw={600}
                >
                  {policy.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{describeTarget(policy)}</Table.Td>
              <Table.Td>{describeDiscount(policy)}</Table.Td>
              <Table.Td ta="right">{policy.minOrderAmount ? formatWon(policy.minOrderAmount) : '—'}</Table.Td>
              <Table.Td>
                {formatDate(policy.validFrom)} – {formatDate(policy.validTo)}
              </Table.Td>
              <Table.Td>
                <PromotionStatusBadge status={policy.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
