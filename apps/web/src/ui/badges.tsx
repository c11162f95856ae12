import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MyCouponStatus } from '../coupons/coupons-api.ts';
import type { PromotionStatus } from '../coupons/discount.ts';
import type { ClaimStatus, ShipmentCourierStatus, ShipmentStatus } from '../orders/after-sale-api.ts';
import type { OrderStatus } from '../orders/orders-api.ts';
import type { PaymentStanding } from '../payments/payment-standing.ts';
import type { InstanceHealth, InstanceStatus } from '../platform/platform-api.ts';
import {
  GRADE_COLORS,
  ROLE_COLORS,
  type Role,
  STATUS_COLORS,
  type UserGrade,
  type UserStatus,
} from '../users/user-enums.ts';

// Every badge shows the status's label (i18n `status.*`), never the server's code.

export function UserStatusBadge({ status }: { status: UserStatus }) {
  const { t } = useTranslation();
  return <Badge color={STATUS_COLORS[status] ?? 'gray'}>{t(`status.user.${status}`)}</Badge>;
}

export function UserGradeBadge({ grade }: { grade: UserGrade }) {
  const { t } = useTranslation();
  return (
    <Badge color={GRADE_COLORS[grade] ?? 'gray'} variant="light">
      {t(`status.grade.${grade}`)}
    </Badge>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <Badge color={ROLE_COLORS[role] ?? 'gray'} variant="outline">
      {t(`status.role.${role}`)}
    </Badge>
  );
}

const HEALTH_COLORS: Record<InstanceHealth, string> = { UP: 'green', DOWN: 'red', UNKNOWN: 'gray' };
const INSTANCE_STATUS_COLORS: Record<InstanceStatus, string> = {
  UP: 'green',
  DOWN: 'red',
  OUT_OF_SERVICE: 'orange',
};

export function HealthBadge({ health }: { health: InstanceHealth }) {
  return <Badge color={HEALTH_COLORS[health] ?? 'gray'}>{health}</Badge>;
}

export function InstanceStatusBadge({ status }: { status: InstanceStatus }) {
  return (
    <Badge color={INSTANCE_STATUS_COLORS[status] ?? 'gray'} variant="light">
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}

const ORDER_STATUS_COLORS: Record<OrderStatus, string> = {
  PENDING: 'gray',
  PAYMENT_PENDING: 'yellow',
  PAID: 'teal',
  SHIPPING: 'blue',
  DELIVERED: 'indigo',
  RETURNED: 'grape',
  CANCELLED: 'red',
};

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return <Badge color={ORDER_STATUS_COLORS[status] ?? 'gray'}>{t(`status.order.${status}`)}</Badge>;
}

const PAYMENT_STATUS_COLORS: Record<PaymentStanding, string> = {
  PENDING: 'yellow',
  APPROVED: 'teal',
  FAILED: 'red',
  REFUNDED: 'blue',
  PARTLY_REFUNDED: 'cyan',
};

/** A payment's standing (payment-standing.ts): its status, or how much of it returns gave back. */
export function PaymentStatusBadge({ status }: { status: PaymentStanding }) {
  const { t } = useTranslation();
  return (
    <Badge color={PAYMENT_STATUS_COLORS[status] ?? 'gray'} variant="light">
      {t(`status.payment.${status}`)}
    </Badge>
  );
}

const MY_COUPON_STATUS_COLORS: Record<MyCouponStatus, string> = {
  ISSUED: 'teal',
  RESERVED: 'yellow',
  USED: 'gray',
  RESTORED: 'blue',
  EXPIRED: 'red',
};

export function MyCouponStatusBadge({ status }: { status: MyCouponStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={MY_COUPON_STATUS_COLORS[status] ?? 'gray'} variant="light">
      {t(`status.coupon.${status}`)}
    </Badge>
  );
}

export function PromotionStatusBadge({ status }: { status: PromotionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={status === 'ACTIVE' ? 'teal' : 'gray'} variant="light">
      {t(`status.promotion.${status}`)}
    </Badge>
  );
}

const SHIPMENT_STATUS_COLORS: Record<ShipmentStatus, string> = {
  READY: 'gray',
  SHIPPING: 'blue',
  DELIVERED: 'indigo',
  CANCELLED: 'red',
};

export function ShipmentStatusBadge({ status }: { status: ShipmentStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={SHIPMENT_STATUS_COLORS[status] ?? 'gray'} variant="light">
      {t(`status.shipment.${status}`)}
    </Badge>
  );
}

export function CourierStatusBadge({ status }: { status: ShipmentCourierStatus }) {
  const { t } = useTranslation();
  const color =
    status === 'DELIVERED'
      ? 'indigo'
      : status === 'CANCELLED'
        ? 'red'
        : status === 'NOT_SENT'
          ? 'gray'
          : 'blue';
  return (
    <Badge color={color} variant="outline">
      {t(`status.courier.${status}`)}
    </Badge>
  );
}

const CLAIM_STATUS_COLORS: Record<ClaimStatus, string> = {
  REQUESTED: 'yellow',
  APPROVED: 'blue',
  COLLECTING: 'blue',
  RESHIPPING: 'cyan',
  COMPLETED: 'teal',
  EXCHANGED: 'teal',
  REJECTED: 'red',
};

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useTranslation();
  return (
    // Never cut short ("승인 (회수 예정)" is long for a badge): a table cell gives it its width.
    <Badge color={CLAIM_STATUS_COLORS[status] ?? 'gray'} variant="light" miw="max-content">
      {t(`status.claim.${status}`)}
    </Badge>
  );
}
