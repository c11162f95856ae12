import { Alert, Button, Card, Group, PasswordInput, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isTokenPair } from '../../auth/auth-api.ts';
import { passwordConfirmProblem, passwordProblem, passwordRuleText } from '../../auth/password-rule.ts';
import { session } from '../../auth/session.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { changeMyPassword } from '../../users/users-api.ts';

const EMPTY = { currentPassword: '', newPassword: '', newPasswordConfirm: '' };

export function PasswordChangeForm() {
  const { t } = useTranslation();
  const form = useFormFields(EMPTY, (values) => ({
    currentPassword: values.currentPassword ? undefined : t('profile.enterCurrent'),
    newPassword:
      passwordProblem(values.newPassword) ??
      (values.newPassword === values.currentPassword ? t('profile.samePassword') : undefined),
    newPasswordConfirm: passwordConfirmProblem(values.newPassword, values.newPasswordConfirm),
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
      notifications.show({
        color: 'teal',
        title: t('profile.passwordChanged'),
        message: t('profile.otherSessions'),
      });
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
            {t('profile.passwordTitle')}
          </Title>
          {change.isSuccess && (
            <Alert color="teal" variant="light" title={t('profile.passwordChanged')} role="status">
              {t('profile.otherSessions')} {t('profile.thisDevice')}
            </Alert>
          )}
          <ApiErrorAlert error={change.error} title={t('profile.passwordFailed')} />
          <PasswordInput
            label={t('profile.currentPassword')}
            autoComplete="current-password"
            required
            {...form.field('currentPassword')}
          />
          <PasswordInput
            label={t('profile.newPassword')}
            description={form.errors.newPassword ? undefined : passwordRuleText()}
            autoComplete="new-password"
            required
            {...form.field('newPassword')}
          />
          <PasswordInput
            label={t('profile.newPasswordConfirm')}
            autoComplete="new-password"
            required
            {...form.field('newPasswordConfirm')}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('profile.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
