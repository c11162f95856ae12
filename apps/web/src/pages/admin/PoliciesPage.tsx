import { Anchor, Button, Group, NativeSelect, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { adminCategoriesQuery, flattenCategories } from '../../admin-catalog/admin-categories-api.ts';
import { adminProductsByIdsQuery } from '../../admin-catalog/admin-products-api.ts';
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
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
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

/** What a target reads as: its name when known (a product's deleted flag); `null` while being read. */
type TargetName =
  | { kind: 'named'; name: string; deleted: boolean }
  | { kind: 'gone' }
  | { kind: 'unread' }
  | null;

/**
 * `상품: 기본 티셔츠`, `카테고리: 의류 › 티셔츠 및 하위`, `주문 전체` (`Product: …`, `Category: … and
 * below`, `Whole order`); a target deleted since reads `삭제된 상품` / `삭제된 카테고리`, never its id.
 */
function describeTarget(targetType: Policy['targetType'], target: TargetName): string {
  if (targetType === 'ORDER') return i18n.t('adminPromotion.policies.order');
  const product = targetType === 'PRODUCT';
  if (target?.kind === 'named') {
    if (!product) return i18n.t('adminPromotion.policies.category', { name: target.name });
    const key = target.deleted ? 'adminPromotion.policies.productDeleted' : 'adminPromotion.policies.product';
    return i18n.t(key, { name: target.name });
  }
  if (target?.kind === 'gone')
    return i18n.t(product ? 'adminPromotion.policies.productGone' : 'adminPromotion.policies.categoryGone');
  return i18n.t(product ? 'adminPromotion.policies.productUnread' : 'adminPromotion.policies.categoryUnread');
}

/** Each id once, in order, of the page's targets of one type. */
function targetIds(policies: Policy[], type: Policy['targetType']): number[] {
  const ids = policies.flatMap((p) => (p.targetType === type && p.targetId !== null ? [p.targetId] : []));
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * The names of a page's targets in two requests however many rows it has: its products by their ids
 * (product-service's admin list, deleted ones included) and the category tree (the policy form's,
 * shared with it). Neither is asked for when no row of the page needs it.
 */
function usePolicyTargets(policies: Policy[]) {
  const productIds = targetIds(policies, 'PRODUCT');
  const products = useQuery({ ...adminProductsByIdsQuery(productIds), enabled: productIds.length > 0 });
  const categories = useQuery({
    ...adminCategoriesQuery,
    enabled: targetIds(policies, 'CATEGORY').length > 0,
  });
  const productById = new Map(products.data?.content.map((p) => [p.id, p]));
  const categoryById = new Map(
    flattenCategories(categories.data ?? []).map(({ category, path }) => [category.id, path.join(' › ')]),
  );

  const nameOf = (policy: Policy): TargetName => {
    if (policy.targetType === 'ORDER') return null;
    const read = policy.targetType === 'PRODUCT' ? products : categories;
    if (read.isError) return { kind: 'unread' };
    if (!read.data) return null;
    if (policy.targetType === 'PRODUCT') {
      const product = policy.targetId === null ? undefined : productById.get(policy.targetId);
      return product ? { kind: 'named', name: product.name, deleted: product.deleted } : { kind: 'gone' };
    }
    const path = policy.targetId === null ? undefined : categoryById.get(policy.targetId);
    return path ? { kind: 'named', name: path, deleted: false } : { kind: 'gone' };
  };
  return { products, categories, nameOf };
}

function PoliciesTable({ policies }: { policies: Policy[] }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  const { products, categories, nameOf } = usePolicyTargets(policies);
  if (policies.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminPromotion.policies.none')}
      </Text>
    );
  }
  const columns: DataColumn<Policy>[] = [
    {
      key: 'name',
      header: t('adminPromotion.policies.name'),
      phone: 'title',
      cell: (policy) => (
        <Anchor
          component={Link}
          to={`/admin/policies/${policy.id}`}
          state={{ listSearch: search } satisfies ListLocationState}
          fw={600}
        >
          {policy.name}
        </Anchor>
      ),
    },
    {
      key: 'target',
      header: t('adminPromotion.policies.target'),
      cell: (policy) =>
        policy.targetType !== 'ORDER' && nameOf(policy) === null ? (
          <Skeleton h={14} w={140} />
        ) : (
          describeTarget(policy.targetType, nameOf(policy))
        ),
    },
    {
      key: 'discount',
      header: t('adminPromotion.list.discount'),
      cell: (policy) => describeDiscount(policy),
    },
    {
      key: 'minOrder',
      header: t('adminPromotion.list.minOrder'),
      align: 'right',
      cell: (policy) => (policy.minOrderAmount ? formatWon(policy.minOrderAmount) : '—'),
    },
    {
      key: 'valid',
      header: t('adminPromotion.policies.valid'),
      phone: 'date',
      cell: (policy) => `${formatDate(policy.validFrom)} – ${formatDate(policy.validTo)}`,
    },
    {
      key: 'status',
      header: t('adminPromotion.list.status'),
      phone: 'status',
      cell: (policy) => <PromotionStatusBadge status={policy.status} />,
    },
  ];
  return (
    <Stack gap="sm">
      <ApiErrorAlert
        error={products.error}
        title={t('adminPromotion.policies.productsFailed')}
        onRetry={() => void products.refetch()}
      />
      <ApiErrorAlert
        error={categories.error}
        title={t('adminPromotion.policies.categoriesFailed')}
        onRetry={() => void categories.refetch()}
      />
      <DataTable
        label={t('adminPromotion.policies.table')}
        columns={columns}
        rows={policies}
        rowKey={(policy) => policy.id}
        minWidth={800}
        highlightOnHover
        verticalSpacing="sm"
      />
    </Stack>
  );
}
