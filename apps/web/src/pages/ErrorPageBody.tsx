import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The body every error page shares: what happened, and the way back to the shop. */
export function ErrorPageBody({ title, text }: { title: string; text: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" py="xl" align="center" ta="center">
      <Title order={1}>{title}</Title>
      <Text c="dimmed">{text}</Text>
      <Button component={Link} to="/" variant="light">
        {t('errorPage.backToShop')}
      </Button>
    </Stack>
  );
}
