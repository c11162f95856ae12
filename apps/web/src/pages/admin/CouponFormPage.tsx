import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  NumberInput,
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
import {
  adminCouponQuery,
  adminCouponsQueryPrefix,
  type Coupon,
  createCoupon,
  deleteCoupon,
  updateCoupon,
} from '../../admin-promotion/admin-promotion-api.ts';
import {
  couponFormOf,
  couponInputOf,
  emptyCouponForm,
  isIssued,
  validateCouponForm,
} from '../../admin-promotion/promotion-form.ts';
import { formatCount, formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { DiscountTermsFields } from './DiscountTermsFields.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';

/** `/admin/coupons/new` creates; `/admin/coupons/:id` edits (and deletes). */
export function CouponFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const listSearch = (useLocation().state as ListLocationState | null)?.listSearch ?? '';
  const couponId = id === undefined ? undefined : Number(id);
  const isValidId = couponId === undefined || (Number.isInteger(couponId) && couponId > 0);
  const coupon = useQuery({
    ...adminCouponQuery(couponId ?? 0),
    enabled: couponId !== undefined && isValidId,
  });

  if (!isValidId) return <NotFoundPage />;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/admin/coupons${listSearch}`} size="sm">
        {t('adminPromotion.couponForm.back')}
      </Anchor>
      {couponId === undefined ? (
        <CouponEditor listSearch={listSearch} />
      ) : (
        <>
          {coupon.isPending && <Skeleton h={420} />}
          {coupon.isError && <ApiErrorAlert error={coupon.error} onRetry={() => void coupon.refetch()} />}
          {/* Keyed by the server's version so the form starts again from the saved values. */}
          {coupon.data && (
            <CouponEditor key={coupon.data.updatedAt} coupon={coupon.data} listSearch={listSearch} />
          )}
        </>
      )}
    </Stack>
  );
}

function CouponEditor({ coupon, listSearch }: { coupon?: Coupon; listSearch: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Someone holds it: its terms stay as they were given (the server refuses otherwise).
  const issued = isIssued(coupon) ? coupon : undefined;
  const form = useFormFields(coupon ? couponFormOf(coupon) : emptyCouponForm(), (values) =>
    validateCouponForm(values, issued),
  );
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const save = useMutation({
    mutationFn: () => {
      const input = couponInputOf(form.values, issued);
      return coupon ? updateCoupon(coupon.id, input) : createCoupon(input);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(adminCouponQuery(saved.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: [...adminCouponsQueryPrefix, 'list'] });
      notifications.show({
        color: 'teal',
        message: t(coupon ? 'adminPromotion.couponForm.saved' : 'adminPromotion.couponForm.created', {
          code: saved.code,
        }),
      });
      if (!coupon) await navigate(`/admin/coupons${listSearch}`);
    },
    onError: (error) => form.showServerErrors(error),
  });

  const remove = useMutation({
    mutationFn: (id: number) => deleteCoupon(id),
    onSuccess: async () => {
      setConfirmingDelete(false);
      await queryClient.invalidateQueries({ queryKey: adminCouponsQueryPrefix });
      notifications.show({
        color: 'teal',
        message: t('adminPromotion.couponForm.deleted', { code: coupon?.code ?? '' }),
      });
      await navigate(`/admin/coupons${listSearch}`);
    },
    onError: () => setConfirmingDelete(false),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.check()) save.mutate();
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="coupon-form-title">
      <form onSubmit={submit} noValidate>
        <Stack maw={720}>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title id="coupon-form-title" order={1} size="h2">
                {coupon
                  ? t('adminPromotion.couponForm.title', { code: coupon.code })
                  : t('adminPromotion.couponForm.new')}
              </Title>
              {coupon && (
                <Text size="sm" c="dimmed">
                  {t('adminPromotion.couponForm.summary', {
                    issued: formatCount(coupon.issuedCount),
                    time: formatDateTime(coupon.updatedAt),
                  })}
                </Text>
              )}
            </div>
            {coupon && <PromotionStatusBadge status={coupon.status} />}
          </Group>
          <ApiErrorAlert error={save.error} title={t('adminPromotion.couponForm.saveFailed')} />
          <ApiErrorAlert error={remove.error} title={t('adminPromotion.couponForm.deleteFailed')} />
          {issued && (
            <Alert color="blue" variant="light" title={t('adminPromotion.couponForm.issuedTitle')}>
              <Text size="sm">
                {t('adminPromotion.couponForm.issuedLocked', { issued: formatCount(issued.issuedCount) })}
              </Text>
            </Alert>
          )}
          <Group grow align="flex-start">
            <TextInput
              label={t('adminPromotion.couponForm.code')}
              description={form.errors.code ? undefined : t('adminPromotion.couponForm.codeRule')}
              autoComplete="off"
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              disabled={Boolean(issued)}
              {...form.field('code')}
            />
            <TextInput
              label={t('adminPromotion.couponForm.name')}
              autoComplete="off"
              {...form.field('name')}
            />
          </Group>
          <DiscountTermsFields form={form} held={Boolean(issued)} />
          <NumberInput
            label={t('adminPromotion.couponForm.totalIssueLimit')}
            description={
              coupon
                ? t('adminPromotion.couponForm.limitHintIssued', { issued: formatCount(coupon.issuedCount) })
                : t('adminPromotion.couponForm.limitHint')
            }
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            hideControls
            min={1}
            maw={320}
            value={form.values.totalIssueLimit}
            error={form.errors.totalIssueLimit}
            onChange={(value) => form.setValue('totalIssueLimit', String(value))}
          />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {coupon ? t('common.save') : t('adminPromotion.couponForm.create')}
            </Button>
            {coupon && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => setConfirmingDelete(true)}
                disabled={save.isPending}
              >
                {t('adminPromotion.couponForm.delete')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
      {coupon && (
        <ConfirmDialog
          opened={confirmingDelete}
          title={t('adminPromotion.couponForm.confirmTitle')}
          confirmLabel={t('adminPromotion.couponForm.confirmDelete')}
          danger
          loading={remove.isPending}
          onConfirm={() => remove.mutate(coupon.id)}
          onClose={() => setConfirmingDelete(false)}
        >
          {coupon.issuedCount > 0
            ? t('adminPromotion.couponForm.held', {
                users: formatCount(coupon.issuedCount),
                code: coupon.code,
                inactive: t('status.promotion.INACTIVE'),
              })
            : t('adminPromotion.couponForm.unclaimed', { code: coupon.code })}
        </ConfirmDialog>
      )}
    </Card>
  );
}
