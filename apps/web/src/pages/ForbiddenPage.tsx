import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function ForbiddenPage() {
  return (
    <Stack gap="sm" py="xl" align="center">
      <Title order={1}>Not allowed</Title>
      <Text c="dimmed">Your account does not have access to this page.</Text>
      <Button component={Link} to="/" variant="light">
        Back to the shop
      </Button>
    </Stack>
  );
}
