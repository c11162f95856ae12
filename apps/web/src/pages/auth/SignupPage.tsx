import { Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../api/api-error.ts';
import { passwordRuleText } from '../../auth/password-rule.ts';
import { loginPath, safeReturnTo } from '../../auth/return-to.ts';
import { signIn } from '../../auth/sign-in.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { type SignupFormValues, validateSignup } from '../../users/signup-validation.ts';
import { signup } from '../../users/users-api.ts';

const EMPTY_SIGNUP: SignupFormValues = { email: '', password: '', passwordConfirm: '', name: '', phone: '' };

/** Signs the new shopper up, signs them in, and takes them back to the page that sent them here. */
export function SignupPage() {
  const navigate = useNavigate();
  const returnTo = (useLocation().state as { returnTo?: string } | null)?.returnTo;
  const form = useFormFields(EMPTY_SIGNUP, validateSignup);
  const { t } = useTranslation();
  usePageTitle(t('title.signup'));

  const createAccount = useMutation({
    mutationFn: async () => {
      const { email, password, passwordConfirm, name, phone } = form.values;
      const account = await signup({
        email: email.trim(),
        password,
        passwordConfirm,
        name: name.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      });
      // auth-service knows the account once signup answers, so logging in right away succeeds.
      try {
        await signIn(account.email, password);
        return { account, signedIn: true };
      } catch {
        return { account, signedIn: false };
      }
    },
    onSuccess: async ({ account, signedIn }) => {
      if (!signedIn) {
        // The account exists; only the automatic login failed (a busy server): log in by hand.
        await navigate(loginPath(returnTo), { state: { email: account.email } });
        return;
      }
      notifications.show({
        color: 'teal',
        title: t('auth.welcome', { name: account.name }),
        message: t('auth.welcomeText'),
      });
      await navigate(safeReturnTo(returnTo), { replace: true });
    },
    onError: (error) => {
      if (isApiError(error) && error.status === 409) form.setFieldError('email', t('auth.emailTaken'));
      else form.showServerErrors(error);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.check()) createAccount.mutate();
  };

  const error = createAccount.error;
  // Field-level problems are shown next to their inputs; only the rest needs the banner.
  const showBanner = error && !(isApiError(error) && (error.status === 409 || hasFieldMessages(form.errors)));

  return (
    <Paper withBorder shadow="sm" p={{ base: 'md', xs: 'xl' }} maw={480} mx="auto" mt="xl">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t('auth.signupTitle')}
          </Title>
          {showBanner && <ApiErrorAlert error={error} title={t('auth.signupFailed')} />}
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            required
            {...form.field('email')}
          />
          <PasswordInput
            label={t('auth.password')}
            // The rule is the usual error text; don't show it twice.
            description={form.errors.password ? undefined : passwordRuleText()}
            autoComplete="new-password"
            required
            {...form.field('password')}
          />
          <PasswordInput
            label={t('auth.passwordConfirm')}
            autoComplete="new-password"
            required
            {...form.field('passwordConfirm')}
          />
          <TextInput label={t('auth.name')} autoComplete="name" required {...form.field('name')} />
          <TextInput
            label={t('auth.phone')}
            description={t('common.optional')}
            type="tel"
            autoComplete="tel"
            placeholder="010-1234-5678"
            {...form.field('phone')}
          />
          <Button type="submit" loading={createAccount.isPending} fullWidth>
            {t('auth.signup')}
          </Button>
          <Text size="sm" ta="center">
            {t('auth.haveAccount')}{' '}
            <Anchor component={Link} to={loginPath(returnTo)}>
              {t('auth.login')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}

function hasFieldMessages(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}
