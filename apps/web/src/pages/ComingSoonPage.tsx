import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Stand-in for screens whose services do not exist yet. */
export function ComingSoonPage({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" py="xl" align="center">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Text c="dimmed">{t('errorPage.comingSoon')}</Text>
    </Stack>
  );
}
