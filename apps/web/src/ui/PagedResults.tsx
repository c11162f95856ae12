import { Card, Group, Pagination, Skeleton, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Page } from '../api/page.ts';
import { formatCount } from '../lib/format.ts';
import { ApiErrorAlert } from './ApiErrorAlert.tsx';

/**
 * The size of a result ("12건", "1 coupon"), announced to screen readers as it changes; `words` says it
 * in the reader's language from the count and the count formatted.
 */
export function ResultCount({
  page,
  words,
}: {
  page: Page<unknown> | undefined;
  words: (count: number, total: string) => string;
}) {
  if (!page) return null;
  return (
    <Text size="sm" c="dimmed" aria-live="polite" ml="auto">
      {words(page.totalElements, formatCount(page.totalElements))}
    </Text>
  );
}

/**
 * One page of a list query: the error with a retry, a skeleton while the first page loads, the
 * previous page dimmed while the next one loads, and pagination (one-based in the UI) when there is more.
 */
export function PagedResults<T>({
  query,
  label,
  current,
  onPage,
  children,
}: {
  query: UseQueryResult<Page<T>>;
  /** The zero-based page asked for (from the URL), so the pager moves before the page arrives. */
  current: number;
  /** Names the pagination for assistive technology, e.g. "Order list pages". */
  label: string;
  onPage: (zeroBasedPage: number) => void;
  children: (items: T[]) => ReactNode;
}) {
  const page = query.data;
  return (
    <>
      {query.isError && <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Card withBorder padding={0} opacity={query.isPlaceholderData ? 0.6 : 1}>
        {query.isPending ? <Skeleton h={320} /> : page && children(page.content)}
      </Card>
      {page && page.totalPages > 1 && (
        <Group justify="center">
          <Pagination
            total={page.totalPages}
            value={current + 1}
            onChange={(oneBased) => onPage(oneBased - 1)}
            aria-label={label}
          />
        </Group>
      )}
    </>
  );
}
