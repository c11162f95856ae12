import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { NotFoundPage } from './NotFoundPage.tsx';

/** Last resort for render errors, so a bug shows a way out instead of a blank page. */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <Container size="sm" py="xl">
      <Stack gap="sm" align="center">
        <Title order={1}>Something went wrong</Title>
        <Text c="dimmed">{error instanceof Error ? error.message : 'An unexpected error occurred.'}</Text>
        <Button onClick={() => window.location.assign('/')} variant="light">
          Reload the shop
        </Button>
      </Stack>
    </Container>
  );
}
