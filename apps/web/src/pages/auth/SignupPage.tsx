import { Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../api/api-error.ts';
import { PASSWORD_RULE_MESSAGE } from '../../auth/password-rule.ts';
import { loginPath } from '../../auth/return-to.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { type SignupFormValues, validateSignup } from '../../users/signup-validation.ts';
import { signup } from '../../users/users-api.ts';

const EMPTY_SIGNUP: SignupFormValues = { email: '', password: '', passwordConfirm: '', name: '', phone: '' };

export function SignupPage() {
  const navigate = useNavigate();
  const returnTo = (useLocation().state as { returnTo?: string } | null)?.returnTo;
  const form = useFormFields(EMPTY_SIGNUP, validateSignup);

  const createAccount = useMutation({
    mutationFn: () => {
      const { email, password, passwordConfirm, name, phone } = form.values;
      return signup({
        email: email.trim(),
        password,
        passwordConfirm,
        name: name.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      });
    },
    onSuccess: async (account) => {
      notifications.show({
        color: 'teal',
        title: `Welcome, ${account.name}!`,
        message: 'Log in to start shopping.',
      });
      await navigate(loginPath(returnTo), { state: { email: account.email } });
    },
    onError: (error) => {
      if (isApiError(error) && error.status === 409) form.setFieldError('email', error.message);
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
    <Paper withBorder shadow="sm" p="xl" maw={480} mx="auto" mt="xl">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            Create your account
          </Title>
          {showBanner && <ApiErrorAlert error={error} title="Sign up failed" />}
          <TextInput label="Email" type="email" autoComplete="email" required {...form.field('email')} />
          <PasswordInput
            label="Password"
            // The rule is the usual error text; don't show it twice.
            description={form.errors.password ? undefined : PASSWORD_RULE_MESSAGE}
            autoComplete="new-password"
            required
            {...form.field('password')}
          />
          <PasswordInput
            label="Confirm password"
            autoComplete="new-password"
            required
            {...form.field('passwordConfirm')}
          />
          <TextInput label="Name" autoComplete="name" required {...form.field('name')} />
          <TextInput
            label="Phone"
            description="Optional"
            type="tel"
            autoComplete="tel"
            placeholder="010-1234-5678"
            {...form.field('phone')}
          />
          <Button type="submit" loading={createAccount.isPending} fullWidth>
            Sign up
          </Button>
          <Text size="sm" ta="center">
            Already have an account?{' '}
            <Anchor component={Link} to={loginPath(returnTo)}>
              Log in
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
