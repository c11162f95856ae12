import { Badge } from '@mantine/core';
import type { MyCouponStatus } from '../coupons/coupons-api.ts';
import type { PromotionStatus } from '../coupons/discount.ts';
import type { OrderStatus } from '../orders/orders-api.ts';
import type { PaymentStatus } from '../payments/payments-api.ts';
import type { InstanceHealth, InstanceStatus } from '../platform/platform-api.ts';
import {
  GRADE_COLORS,
  ROLE_COLORS,
  type Role,
  STATUS_COLORS,
  type UserGrade,
  type UserStatus,
} from '../users/user-enums.ts';

export function UserStatusBadge({ status }: { status: UserStatus }) {
  return <Badge color={STATUS_COLORS[status] ?? 'gray'}>{status}</Badge>;
}

export function UserGradeBadge({ grade }: { grade: UserGrade }) {
  return (
    <Badge color={GRADE_COLORS[grade] ?? 'gray'} variant="light">
      {grade}
    </Badge>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge color={ROLE_COLORS[role] ?? 'gray'} variant="outline">
      {role}
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

/** Labelled for people (`PAYMENT PENDING`); tests find it by that text. */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <Badge color={ORDER_STATUS_COLORS[status] ?? 'gray'}>{status.replaceAll('_', ' ')}</Badge>;
}

const PAYMENT_STATUS_COLORS: Record<PaymentStatus, string> = {
  PENDING: 'yellow',
  APPROVED: 'teal',
  FAILED: 'red',
  REFUNDED: 'blue',
};

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  return (
    <Badge color={PAYMENT_STATUS_COLORS[status] ?? 'gray'} variant="light">
      {status}
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
  return (
    <Badge color={MY_COUPON_STATUS_COLORS[status] ?? 'gray'} variant="light">
      {status}
    </Badge>
  );
}

export function PromotionStatusBadge({ status }: { status: PromotionStatus }) {
  return (
    <Badge color={status === 'ACTIVE' ? 'teal' : 'gray'} variant="light">
      {status}
    </Badge>
  );
}
