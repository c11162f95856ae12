import { Alert, Button, Card, Group, PasswordInput, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
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
    mutationFn: async () => {
      const { currentPassword, newPassword } = form.values;
      const email = session.getSnapshot().user?.email;
      await changeMyPassword({ currentPassword, newPassword });
      // The change ends every session of the user, this one included: sign this device in again
      // with the password just typed, so only the other devices are signed out.
      if (!email) return { signedIn: false };
      return session.login(email, newPassword).then(
        () => ({ signedIn: true }),
        () => ({ signedIn: false }),
      );
    },
    onSuccess: ({ signedIn }) => {
      form.reset();
      notifications.show({
        color: 'teal',
        title: t('profile.passwordChanged'),
        message: signedIn ? t('profile.otherSessions') : t('profile.logInAgain'),
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
          {change.data && (
            <Alert color="teal" variant="light" title={t('profile.passwordChanged')} role="status">
              {change.data.signedIn
                ? `${t('profile.otherSessions')} ${t('profile.thisDevice')}`
                : t('profile.logInAgain')}
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
