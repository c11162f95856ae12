import { Box, type MantineSpacing, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The phone-first list: a `<ul>` named for assistive technology and tests
 * (`getByRole('list', { name })`), whose items are rows divided by a hairline. Use it where a table
 * would not fit at 390 px (see apps/web/README.md).
 */
export function CardList({
  label,
  gap = 0,
  children,
}: {
  label: string;
  gap?: MantineSpacing;
  children: ReactNode;
}) {
  return (
    <Stack component="ul" aria-label={label} gap={gap} m={0} p={0}>
      {children}
    </Stack>
  );
}

export function CardListItem({
  children,
  padding = 'sm',
  testId,
}: {
  children: ReactNode;
  padding?: MantineSpacing;
  testId?: string;
}) {
  return (
    <Box
      component="li"
      p={padding}
      data-testid={testId}
      style={{ listStyle: 'none', borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      {children}
    </Box>
  );
}
