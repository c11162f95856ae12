import {
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
  COUPON_CODE_RULE,
  couponFormOf,
  couponInputOf,
  emptyCouponForm,
  validateCouponForm,
} from '../../admin-promotion/promotion-form.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { PromotionStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { DiscountTermsFields } from './DiscountTermsFields.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';

/** `/admin/coupons/new` creates; `/admin/coupons/:id` edits (and deletes). */
export function CouponFormPage() {
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
        ← Back to coupons
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
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useFormFields(coupon ? couponFormOf(coupon) : emptyCouponForm(), validateCouponForm);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const save = useMutation({
    mutationFn: () => {
      const input = couponInputOf(form.values);
      return coupon ? updateCoupon(coupon.id, input) : createCoupon(input);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(adminCouponQuery(saved.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: [...adminCouponsQueryPrefix, 'list'] });
      notifications.show({ color: 'teal', message: `Coupon ${saved.code} ${coupon ? 'saved' : 'created'}.` });
      if (!coupon) await navigate(`/admin/coupons${listSearch}`);
    },
    onError: (error) => form.showServerErrors(error),
  });

  const remove = useMutation({
    mutationFn: (id: number) => deleteCoupon(id),
    onSuccess: async () => {
      setConfirmingDelete(false);
      await queryClient.invalidateQueries({ queryKey: adminCouponsQueryPrefix });
      notifications.show({ color: 'teal', message: `Coupon ${coupon?.code} deleted.` });
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
                {coupon ? `Coupon ${coupon.code}` : 'New coupon'}
              </Title>
              {coupon && (
                <Text size="sm" c="dimmed">
                  {coupon.issuedCount.toLocaleString('en-US')} issued · updated{' '}
                  {formatDateTime(coupon.updatedAt)}
                </Text>
              )}
            </div>
            {coupon && <PromotionStatusBadge status={coupon.status} />}
          </Group>
          <ApiErrorAlert error={save.error} title="Could not save the coupon" />
          <ApiErrorAlert error={remove.error} title="Could not delete the coupon" />
          <Group grow align="flex-start">
            <TextInput
              label="Code"
              description={form.errors.code ? undefined : COUPON_CODE_RULE}
              autoComplete="off"
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...form.field('code')}
            />
            <TextInput label="Name" autoComplete="off" {...form.field('name')} />
          </Group>
          <DiscountTermsFields form={form} />
          <NumberInput
            label="Total issue limit"
            description={
              coupon
                ? `How many users may claim it in total (at least the ${coupon.issuedCount} already issued); empty for no limit.`
                : 'How many users may claim it in total; empty for no limit. Each user may hold one.'
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
              {coupon ? 'Save' : 'Create coupon'}
            </Button>
            {coupon && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => setConfirmingDelete(true)}
                disabled={save.isPending}
              >
                Delete
              </Button>
            )}
          </Group>
        </Stack>
      </form>
      {coupon && (
        <ConfirmDialog
          opened={confirmingDelete}
          title="Delete this coupon?"
          confirmLabel="Delete coupon"
          danger
          loading={remove.isPending}
          onConfirm={() => remove.mutate(coupon.id)}
          onClose={() => setConfirmingDelete(false)}
        >
          {coupon.issuedCount > 0
            ? `${coupon.issuedCount} users hold ${coupon.code}, so the server will refuse; set it INACTIVE instead.`
            : `${coupon.code} has never been claimed and will be removed for good.`}
        </ConfirmDialog>
      )}
    </Card>
  );
}
