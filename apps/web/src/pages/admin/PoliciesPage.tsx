import { Anchor, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  adminPoliciesQuery,
  POLICY_TARGETS,
  type Policy,
  type PolicySearch,
  type PolicyTarget,
} from '../../admin-promotion/admin-promotion-api.ts';
import { parsePolicySearch, policySearchParams } from '../../admin-promotion/promotion-search.ts';
import { describeDiscount } from '../../coupons/discount.ts';
import { i18n } from '../../i18n/i18n.ts';
import { formatDate, formatWon } from '../../lib/format.ts';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';
import { PromotionStatusFilter } from './PromotionStatusFilter.tsx';

export function PoliciesPage() {
  const { t } = useTranslation();
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
            {t('adminPromotion.policies.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('adminPromotion.policies.intro')}
          </Text>
        </div>
        <Button component={Link} to="/admin/policies/new">
          {t('adminPromotion.policies.new')}
        </Button>
      </Group>

      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label={t('adminPromotion.policies.target')}
          value={search.targetType}
          onChange={(event) => changeSearch({ targetType: event.currentTarget.value as PolicyTarget | '' })}
          data={[
            { value: '', label: t('adminPromotion.policies.allTargets') },
            ...POLICY_TARGETS.map((target) => ({
              value: target,
              label: t(`adminPromotion.target.${target}`),
            })),
          ]}
        />
        <PromotionStatusFilter value={search.status} onChange={(status) => changeSearch({ status })} />
        <ResultCount
          page={result}
          words={(count, total) =>
            t(count === 1 ? 'adminPromotion.policies.countOne' : 'adminPromotion.policies.countOther', {
              total,
            })
          }
        />
      </Group>

      <PagedResults
        query={policies}
        label={t('adminPromotion.policies.pages')}
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <PoliciesTable policies={rows} />}
      </PagedResults>
    </Stack>
  );
}

/** `상품 #12`, `카테고리 #3 및 하위`, `주문 전체` (`Product #12`, `Category #3 and below`, `Whole order`). */
export function describeTarget(policy: Pick<Policy, 'targetType' | 'targetId'>): string {
  switch (policy.targetType) {
    case 'PRODUCT':
      return i18n.t('adminPromotion.policies.product', { id: String(policy.targetId) });
    case 'CATEGORY':
      return i18n.t('adminPromotion.policies.category', { id: String(policy.targetId) });
    case 'ORDER':
      return i18n.t('adminPromotion.policies.order');
  }
}

function PoliciesTable({ policies }: { policies: Policy[] }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  if (policies.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminPromotion.policies.none')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table highlightOnHover verticalSpacing="sm" aria-label={t('adminPromotion.policies.table')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('adminPromotion.policies.name')}</Table.Th>
            <Table.Th>{t('adminPromotion.policies.target')}</Table.Th>
            <Table.Th>{t('adminPromotion.list.discount')}</Table.Th>
            <Table.Th ta="right">{t('adminPromotion.list.minOrder')}</Table.Th>
            <Table.Th>{t('adminPromotion.policies.valid')}</Table.Th>
            <Table.Th>{t('adminPromotion.list.status')}</Table.Th>
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
