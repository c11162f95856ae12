import { Alert, Button, Card, Group, PasswordInput, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { isTokenPair } from '../../auth/auth-api.ts';
import {
  PASSWORD_CONFIRM_MESSAGE,
  PASSWORD_RULE_MESSAGE,
  passwordProblem,
} from '../../auth/password-rule.ts';
import { session } from '../../auth/session.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { changeMyPassword } from '../../users/users-api.ts';

const EMPTY = { currentPassword: '', newPassword: '', newPasswordConfirm: '' };
const OTHER_SESSIONS_SIGNED_OUT = 'Your other sessions have been signed out.';

export function PasswordChangeForm() {
  const form = useFormFields(EMPTY, (values) => ({
    currentPassword: values.currentPassword ? undefined : 'Enter your current password.',
    newPassword:
      passwordProblem(values.newPassword) ??
      (values.newPassword === values.currentPassword
        ? 'Choose a password different from the current one.'
        : undefined),
    newPasswordConfirm:
      values.newPasswordConfirm === values.newPassword ? undefined : PASSWORD_CONFIRM_MESSAGE,
  }));

  const change = useMutation({
    mutationFn: () =>
      changeMyPassword({
        currentPassword: form.values.currentPassword,
        newPassword: form.values.newPassword,
      }),
    onSuccess: (result) => {
      // Changing the password revokes refresh tokens; if the server re-issued this session's pair, keep it.
      if (isTokenPair(result)) session.adoptTokens(result);
      form.reset();
      notifications.show({ color: 'teal', title: 'Password changed', message: OTHER_SESSIONS_SIGNED_OUT });
    },
    onError: (error) => form.showServerErrors(error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.check()) change.mutate();
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="password-title">
      <form onSubmit={submit} noValidate>
        <Stack maw={360}>
          <Title id="password-title" order={2} size="h4">
            Password
          </Title>
          {change.isSuccess && (
            <Alert color="teal" variant="light" title="Password changed" role="status">
              {OTHER_SESSIONS_SIGNED_OUT} This device stays signed in.
            </Alert>
          )}
          <ApiErrorAlert error={change.error} title="Could not change your password" />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            {...form.field('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description={form.errors.newPassword ? undefined : PASSWORD_RULE_MESSAGE}
            autoComplete="new-password"
            required
            {...form.field('newPassword')}
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            {...form.field('newPasswordConfirm')}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
