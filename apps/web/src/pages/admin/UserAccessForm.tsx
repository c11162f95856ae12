import { Alert, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AdminUser,
  type AdminUserChange,
  adminUserQuery,
  adminUsersQueryPrefix,
  updateAdminUser,
} from '../../admin-users/admin-users-api.ts';
import { useSession } from '../../auth/use-session.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ROLES, USER_GRADES, USER_STATUSES } from '../../users/user-enums.ts';

/** Status, grade and role controls for one user; saves only what changed. */
export function UserAccessForm({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { user: me } = useSession();
  // Admins must not lock themselves out by suspending or demoting their own account.
  const isSelf = me?.id === user.userId;
  const [draft, setDraft] = useState({ status: user.status, grade: user.grade, role: user.role });

  const change: AdminUserChange = {};
  if (draft.status !== user.status) change.status = draft.status;
  if (draft.grade !== user.grade) change.grade = draft.grade;
  if (draft.role !== user.role) change.role = draft.role;
  const hasChanges = Object.keys(change).length > 0;

  const save = useMutation({
    mutationFn: () => updateAdminUser(user.userId, change),
    onSuccess: async (updated) => {
      const detailKey = adminUserQuery(user.userId).queryKey;
      if (updated?.userId !== undefined) queryClient.setQueryData(detailKey, updated);
      await queryClient.invalidateQueries({ queryKey: adminUsersQueryPrefix });
      notifications.show({ color: 'teal', message: t('adminUsers.access.saved', { email: user.email }) });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (hasChanges) save.mutate();
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="access-title">
      <form onSubmit={submit}>
        <Stack>
          <Title id="access-title" order={2} size="h4">
            {t('adminUsers.access.title')}
          </Title>
          <ApiErrorAlert error={save.error} title={t('adminUsers.access.saveFailed')} />
          {isSelf && (
            <Text size="sm" c="dimmed">
              {t('adminUsers.access.ownAccount')}
            </Text>
          )}
          <LabelledChoice
            label={t('adminUsers.access.status')}
            value={draft.status}
            options={USER_STATUSES}
            optionLabel={(status) => t(`status.user.${status}`)}
            disabled={isSelf}
            onChange={(status) => setDraft((current) => ({ ...current, status }))}
          />
          <LabelledChoice
            label={t('adminUsers.access.grade')}
            value={draft.grade}
            options={USER_GRADES}
            optionLabel={(grade) => t(`status.grade.${grade}`)}
            onChange={(grade) => setDraft((current) => ({ ...current, grade }))}
          />
          <LabelledChoice
            label={t('adminUsers.access.role')}
            value={draft.role}
            options={ROLES}
            optionLabel={(role) => t(`status.role.${role}`)}
            disabled={isSelf}
            onChange={(role) => setDraft((current) => ({ ...current, role }))}
          />
          {change.status === 'SUSPENDED' && (
            <Alert color="orange" variant="light">
              {t('adminUsers.access.suspendWarning')}
            </Alert>
          )}
          <Group>
            <Button type="submit" disabled={!hasChanges} loading={save.isPending}>
              {t('common.save')}
            </Button>
            {hasChanges && (
              <Button
                variant="subtle"
                color="gray"
                onClick={() => setDraft({ status: user.status, grade: user.grade, role: user.role })}
              >
                {t('adminUsers.access.discard')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

interface LabelledChoiceProps<T extends string> {
  label: string;
  value: T;
  options: readonly T[];
  optionLabel: (option: T) => string;
  disabled?: boolean;
  onChange: (value: T) => void;
}

/** A segmented control exposed as a radio group named by its visible label. */
function LabelledChoice<T extends string>({
  label,
  value,
  options,
  optionLabel,
  disabled,
  onChange,
}: LabelledChoiceProps<T>) {
  const labelId = useId();
  return (
    <div>
      <Text id={labelId} size="sm" fw={500} mb={4}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        value={value}
        data={options.map((option) => ({ value: option, label: optionLabel(option) }))}
        disabled={disabled}
        onChange={(next) => onChange(next as T)}
      />
    </div>
  );
}
