import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { safeReturnTo } from '../../auth/return-to.ts';
import { signIn } from '../../auth/sign-in.ts';
import { useSession } from '../../auth/use-session.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';

/** A page that sends the visitor here may hand over an e-mail to pre-fill. */
interface LoginLocationState {
  email?: string;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const { user } = useSession();
  const { t } = useTranslation();
  usePageTitle(t('title.login'));
  const returnTo = safeReturnTo(params.get('returnTo'));
  const sessionExpired = params.get('reason') === 'expired';

  const prefilledEmail = (location.state as LoginLocationState | null)?.email ?? '';
  const form = useFormFields({ email: prefilledEmail, password: '' }, (values) => ({
    email: values.email.trim() ? undefined : t('auth.enterEmail'),
    password: values.password ? undefined : t('auth.enterPassword'),
  }));

  const login = useMutation({
    mutationFn: () => signIn(form.values.email.trim(), form.values.password),
    // Staff who came to log in (no page to return to) land in their console: the dashboard, the help desk.
    onSuccess: (user) =>
      navigate(user && user.role !== 'USER' && !params.get('returnTo') ? '/admin' : returnTo, {
        replace: true,
      }),
  });

  // Already signed in (e.g. opened /login from a bookmark): continue where they were going.
  if (user && !login.isPending && !login.isSuccess) return <Navigate to={returnTo} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.check()) login.mutate();
  };

  return (
    <Paper withBorder shadow="sm" p={{ base: 'md', xs: 'xl' }} maw={420} mx="auto" mt="xl">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t('auth.loginTitle')}
          </Title>
          {sessionExpired && !login.error && (
            <Alert color="orange" variant="light" title={t('auth.sessionEnded')} role="alert">
              {t('auth.sessionEndedText')}
            </Alert>
          )}
          <ApiErrorAlert error={login.error} title={t('auth.loginFailed')} />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            required
            {...form.field('email')}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            {...form.field('password')}
          />
          <Button type="submit" loading={login.isPending} fullWidth>
            {t('auth.login')}
          </Button>
          <Text size="sm" ta="center">
            {t('auth.newHere')}{' '}
            <Anchor component={Link} to="/signup" state={{ returnTo }}>
              {t('auth.createAccount')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
