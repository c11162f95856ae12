import { Badge } from '@mantine/core';
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
