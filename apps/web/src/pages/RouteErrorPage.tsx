import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { NotFoundPage } from './NotFoundPage.tsx';

/** Last resort for render errors, so a bug shows a way out instead of a blank page. */
export function RouteErrorPage() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  // The error's own message is for developers (the console has it), never for the shopper.
  return (
    <Container size="sm" py="xl">
      <Stack gap="sm" align="center" ta="center">
        <Title order={1}>{t('errorPage.crashTitle')}</Title>
        <Text c="dimmed">{t('errorPage.crashText')}</Text>
        <Button onClick={() => window.location.assign('/')} variant="light">
          {t('errorPage.reload')}
        </Button>
      </Stack>
    </Container>
  );
}
