import { Stack, Text, Title } from '@mantine/core';

/** Stand-in for screens whose services do not exist yet (cart, orders, ...). */
export function ComingSoonPage({ title }: { title: string }) {
  return (
    <Stack gap="xs" py="xl" align="center">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Text c="dimmed">This part of sagamart is coming soon.</Text>
    </Stack>
  );
}
