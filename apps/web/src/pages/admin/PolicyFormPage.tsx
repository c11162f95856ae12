import {
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { adminCategoriesQuery, flattenCategories } from '../../admin-catalog/admin-categories-api.ts';
import {
  adminPoliciesQueryPrefix,
  adminPolicyQuery,
  createPolicy,
  deletePolicy,
  POLICY_TARGETS,
  type Policy,
  updatePolicy,
} from '../../admin-promotion/admin-promotion-api.ts';
import {
  emptyPolicyForm,
  policyFormOf,
  policyInputOf,
  validatePolicyForm,
} from '../../admin-promotion/promotion-form.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { DiscountTermsFields } from './DiscountTermsFields.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';
import { ProductPicker } from './ProductPicker.tsx';

/** `/admin/policies/new` creates; `/admin/policies/:id` edits (and deletes). */
export function PolicyFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const listSearch = (useLocation().state as ListLocationState | null)?.listSearch ?? '';
  const policyId = id === undefined ? undefined : Number(id);
  const isValidId = policyId === undefined || (Number.isInteger(policyId) && policyId > 0);
  const policy = useQuery({
    ...adminPolicyQuery(policyId ?? 0),
    enabled: policyId !== undefined && isValidId,
  });

  if (!isValidId) return <NotFoundPage />;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/admin/policies${listSearch}`} size="sm">
        {t('adminPromotion.policyForm.back')}
      </Anchor>
      {policyId === undefined ? (
        <PolicyEditor listSearch={listSearch} />
      ) : (
        <>
          {policy.isPending && <Skeleton h={420} />}
          {policy.isError && <ApiErrorAlert error={policy.error} onRetry={() => void policy.refetch()} />}
          {policy.data && (
            <PolicyEditor key={policy.data.updatedAt} policy={policy.data} listSearch={listSearch} />
          )}
        </>
      )}
    </Stack>
  );
}

/** A category (its products and those of every category below it) picked by name from the tree. */
function CategoryPicker({
  categoryId,
  onPick,
  error,
}: {
  categoryId: string;
  onPick: (categoryId: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const categories = useQuery(adminCategoriesQuery);
  const options = flattenCategories(categories.data ?? []).map(({ category, path }) => ({
    value: String(category.id),
    label: `${'\u00a0\u00a0'.repeat(path.length - 1)}${category.name}`,
  }));
  // A saved policy's category deleted since: said so rather than shown as another.
  const missing = categories.isSuccess && categoryId !== '' && !options.some((o) => o.value === categoryId);
  return (
    <>
      <NativeSelect
        label={t('adminPromotion.policyForm.category')}
        value={categoryId}
        error={error}
        onChange={(event) => onPick(event.currentTarget.value)}
        data={[
          { value: '', label: t('adminPromotion.policyForm.categoryPlaceholder') },
          ...(missing ? [{ value: categoryId, label: t('adminPromotion.policyForm.categoryMissing') }] : []),
          ...options,
        ]}
      />
      {categories.isError && (
        <ApiErrorAlert error={categories.error} onRetry={() => void categories.refetch()} />
      )}
    </>
  );
}

function PolicyEditor({ policy, listSearch }: { policy?: Policy; listSearch: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useFormFields(policy ? policyFormOf(policy) : emptyPolicyForm(), validatePolicyForm);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const targetType = form.values.targetType;

  const save = useMutation({
    mutationFn: () => {
      const input = policyInputOf(form.values);
      return policy ? updatePolicy(policy.id, input) : createPolicy(input);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(adminPolicyQuery(saved.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: [...adminPoliciesQueryPrefix, 'list'] });
      notifications.show({
        color: 'teal',
        message: t(policy ? 'adminPromotion.policyForm.saved' : 'adminPromotion.policyForm.created', {
          name: saved.name,
        }),
      });
      if (!policy) await navigate(`/admin/policies${listSearch}`);
    },
    onError: (error) => form.showServerErrors(error),
  });

  const remove = useMutation({
    mutationFn: (id: number) => deletePolicy(id),
    onSuccess: async () => {
      setConfirmingDelete(false);
      await queryClient.invalidateQueries({ queryKey: adminPoliciesQueryPrefix });
      notifications.show({
        color: 'teal',
        message: t('adminPromotion.policyForm.deleted', { name: policy?.name ?? '' }),
      });
      await navigate(`/admin/policies${listSearch}`);
    },
    onError: () => setConfirmingDelete(false),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.check()) save.mutate();
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="policy-form-title">
      <form onSubmit={submit} noValidate>
        <Stack maw={720}>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title id="policy-form-title" order={1} size="h2">
                {policy ? policy.name : t('adminPromotion.policyForm.new')}
              </Title>
              {policy && (
                <Text size="sm" c="dimmed">
                  {t('adminPromotion.policyForm.updated', { time: formatDateTime(policy.updatedAt) })}
                </Text>
              )}
            </div>
            {policy && <PromotionStatusBadge status={policy.status} />}
          </Group>
          <ApiErrorAlert error={save.error} title={t('adminPromotion.policyForm.saveFailed')} />
          <ApiErrorAlert error={remove.error} title={t('adminPromotion.policyForm.deleteFailed')} />
          <TextInput label={t('adminPromotion.policyForm.name')} autoComplete="off" {...form.field('name')} />
          <NativeSelect
            label={t('adminPromotion.policyForm.appliesTo')}
            value={targetType}
            description={targetType === 'ORDER' ? t('adminPromotion.policyForm.noTarget') : undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            onChange={(event) => {
              form.setValue('targetType', event.currentTarget.value);
              // A product's id means nothing as a category's: the target is picked again.
              form.setValue('targetId', '');
            }}
            data={POLICY_TARGETS.map((value) => ({
              value,
              label: t(`adminPromotion.targetOption.${value}`),
            }))}
          />
          {/* Picked by name, never typed: the form keeps the id the server reads. */}
          {targetType === 'PRODUCT' && (
            <ProductPicker
              productId={form.values.targetId}
              onPick={(productId) => form.setValue('targetId', productId)}
              error={form.errors.targetId}
            />
          )}
          {targetType === 'CATEGORY' && (
            <CategoryPicker
              categoryId={form.values.targetId}
              onPick={(categoryId) => form.setValue('targetId', categoryId)}
              error={form.errors.targetId}
            />
          )}
          <DiscountTermsFields form={form} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {policy ? t('common.save') : t('adminPromotion.policyForm.create')}
            </Button>
            {policy && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => setConfirmingDelete(true)}
                disabled={save.isPending}
              >
                {t('adminPromotion.policyForm.delete')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
      {policy && (
        <ConfirmDialog
          opened={confirmingDelete}
          title={t('adminPromotion.policyForm.confirmTitle')}
          confirmLabel={t('adminPromotion.policyForm.confirmDelete')}
          danger
          loading={remove.isPending}
          onConfirm={() => remove.mutate(policy.id)}
          onClose={() => setConfirmingDelete(false)}
        >
          {t('adminPromotion.policyForm.confirmText', { name: policy.name })}
        </ConfirmDialog>
      )}
    </Card>
  );
}
