import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { safeReturnTo } from '../../auth/return-to.ts';
import { session } from '../../auth/session.ts';
import { useSession } from '../../auth/use-session.ts';
import { mergeGuestCartIntoUserCart } from '../../cart/cart-merge.ts';
import { lookupSkuStock } from '../../catalog/catalog-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';

/** Signup hands over the new account's e-mail through navigation state. */
interface LoginLocationState {
  email?: string;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const { user } = useSession();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const sessionExpired = params.get('reason') === 'expired';

  const prefilledEmail = (location.state as LoginLocationState | null)?.email ?? '';
  const form = useFormFields({ email: prefilledEmail, password: '' }, (values) => ({
    email: values.email.trim() ? undefined : 'Enter your email',
    password: values.password ? undefined : 'Enter your password',
  }));

  const login = useMutation({
    mutationFn: async () => {
      const user = await session.login(form.values.email.trim(), form.values.password);
      // The guest's cart joins the user's saved one before the next page shows the cart.
      if (user) await mergeGuestCartIntoUserCart(user.id, { lookupStock: lookupSkuStock });
      return user;
    },
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
    <Paper withBorder shadow="sm" p="xl" maw={420} mx="auto" mt="xl">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            Log in
          </Title>
          {sessionExpired && !login.error && (
            <Alert color="orange" variant="light" title="Your session has ended" role="alert">
              Please log in again to continue.
            </Alert>
          )}
          <ApiErrorAlert error={login.error} title="Login failed" />
          <TextInput label="Email" type="email" autoComplete="email" required {...form.field('email')} />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.field('password')}
          />
          <Button type="submit" loading={login.isPending} fullWidth>
            Log in
          </Button>
          <Text size="sm" ta="center">
            New to sagamart?{' '}
            <Anchor component={Link} to="/signup" state={{ returnTo }}>
              Create an account
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
