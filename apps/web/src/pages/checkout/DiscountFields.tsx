import { Alert, Anchor, Button, Card, Group, NumberInput, Radio, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type MyCoupon, usableCouponsQuery } from '../../coupons/coupons-api.ts';
import { describeDiscount, describeMinimum } from '../../coupons/discount.ts';
import { formatPoints, formatWon } from '../../lib/format.ts';
import type { OrderQuote } from '../../orders/orders-api.ts';
import { myPointsQuery } from '../../points/points-api.ts';

interface DiscountFieldsProps {
  couponId: number | null;
  onCouponChange: (couponId: number | null) => void;
  points: number;
  onPointsChange: (points: number) => void;
  quote: OrderQuote | undefined;
  /**
   * The quote for the chosen coupon reports it not applied (couponId null): it takes nothing off this
   * order (other discounts left nothing), so the order will not use it.
   */
  couponUnused: boolean;
  /**
   * The items' subtotal as the server priced them (before discounts), once known: a coupon whose
   * minimum order amount it does not reach is listed as not usable (promotion-service refuses it).
   */
  subtotal: number | undefined;
  /** The quote refused the coupon chosen, and checkout took it off: why, in the reader's words. */
  droppedCoupon: string | null;
  disabled: boolean;
}

/** The balance is all that is needed; one ledger row keeps the answer small. */
const BALANCE_ONLY = { page: 0, size: 1 };

/** Coupon picker (the shopper's usable coupons) and points (bounded by the balance and the order). */
export function DiscountFields({
  couponId,
  onCouponChange,
  points,
  onPointsChange,
  quote,
  couponUnused,
  subtotal,
  droppedCoupon,
  disabled,
}: DiscountFieldsProps) {
  const { t } = useTranslation();
  const coupons = useQuery(usableCouponsQuery);
  const balance = useQuery(myPointsQuery(BALANCE_ONLY)).data?.balance ?? quote?.pointsBalance;
  // The server says how many points this order can take: min(balance, what is left after discounts).
  const pointsMax = quote?.maxUsablePoints ?? balance ?? 0;

  // A bigger discount or a smaller balance can leave the points above what may be used.
  useEffect(() => {
    if (balance !== undefined && points > pointsMax) onPointsChange(pointsMax);
  }, [balance, points, pointsMax, onPointsChange]);

  const held = coupons.data ?? [];
  // The server's terms against the server's subtotal: below its minimum a coupon is refused.
  const reaches = (coupon: MyCoupon) => subtotal === undefined || subtotal >= coupon.minOrderAmount;
  const usable = held.filter(reaches);
  const belowMinimum = held.filter((coupon) => !reaches(coupon));

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="discounts-title">
      <Stack>
        <Title id="discounts-title" order={2} size="h4">
          {t('discount.title')}
        </Title>
        {/* Cards, not a select: a coupon's name and terms wrap on a phone instead of being cut off. */}
        <Radio.Group
          label={t('discount.coupon')}
          value={couponId === null ? '' : String(couponId)}
          onChange={(value) => onCouponChange(value ? Number(value) : null)}
          description={
            <>
              {t('discount.claimOn')}{' '}
              <Anchor component={Link} to="/me/coupons" size="xs">
                {t('discount.myCoupons')}
              </Anchor>
              {t('discount.claimAfter')}
            </>
          }
          inputWrapperOrder={['label', 'input', 'description', 'error']}
        >
          <Stack gap="xs" my={6}>
            {held.length === 0 ? (
              <Text size="sm" c="dimmed">
                {coupons.isPending ? t('discount.loadingCoupons') : t('discount.noUsable')}
              </Text>
            ) : (
              <>
                <CouponChoice value="" name={t('discount.noCoupon')} disabled={disabled} />
                {usable.map((coupon) => (
                  <CouponChoice
                    key={coupon.couponId}
                    value={String(coupon.couponId)}
                    name={coupon.name}
                    // The minimum order amount is part of the terms: below it the quote refuses the coupon.
                    terms={[describeDiscount(coupon), describeMinimum(coupon.minOrderAmount)]
                      .filter(Boolean)
                      .join(' · ')}
                    disabled={disabled}
                  />
                ))}
                {belowMinimum.map((coupon) => (
                  <CouponChoice
                    key={coupon.couponId}
                    value={String(coupon.couponId)}
                    name={coupon.name}
                    terms={describeDiscount(coupon)}
                    notUsable={[
                      t('discount.belowMinimum', { amount: formatWon(coupon.minOrderAmount) }),
                      t('discount.shortBy', { amount: formatWon(coupon.minOrderAmount - (subtotal ?? 0)) }),
                    ].join(' · ')}
                    disabled
                  />
                ))}
              </>
            )}
          </Stack>
        </Radio.Group>
        {droppedCoupon && (
          <Alert
            color="yellow"
            variant="light"
            role="status"
            title={droppedCoupon}
            data-testid="coupon-dropped"
          >
            {t('discount.couponDropped')}
          </Alert>
        )}
        {couponUnused && (
          <Alert color="yellow" variant="light" role="status" data-testid="coupon-unused">
            {t('discount.couponUnused')}
          </Alert>
        )}
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <NumberInput
            label={t('discount.points')}
            description={
              balance === undefined
                ? t('discount.loadingBalance')
                : t('discount.balance', { balance: formatPoints(balance), max: formatPoints(pointsMax) })
            }
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            suffix="P"
            thousandSeparator=","
            allowDecimal={false}
            allowNegative={false}
            min={0}
            max={pointsMax}
            clampBehavior="strict"
            hideControls
            value={points}
            onChange={(value) => onPointsChange(typeof value === 'number' ? value : 0)}
            disabled={disabled || balance === undefined || balance === 0}
            style={{ flex: 1 }}
          />
          <Button
            variant="default"
            onClick={() => onPointsChange(pointsMax)}
            disabled={disabled || pointsMax === 0 || points === pointsMax}
            mb={24}
          >
            {t('discount.useAll')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('discount.rule')}
        </Text>
      </Stack>
    </Card>
  );
}

/** One coupon to pick: its name, and its terms on a line of their own. */
function CouponChoice({
  value,
  name,
  terms,
  notUsable,
  disabled,
}: {
  value: string;
  name: string;
  terms?: string;
  /** Why this order cannot use it: the card is shown, greyed, and cannot be chosen. */
  notUsable?: string;
  disabled: boolean;
}) {
  return (
    <Radio.Card value={value} disabled={disabled} radius="md" p="sm">
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Radio.Indicator mt={2} disabled={disabled} />
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} c={notUsable ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Text>
          {terms && (
            <Text size="xs" c="dimmed">
              {terms}
            </Text>
          )}
          {notUsable && (
            <Text size="xs" c="orange.8" fw={500}>
              {notUsable}
            </Text>
          )}
        </Stack>
      </Group>
    </Radio.Card>
  );
}
