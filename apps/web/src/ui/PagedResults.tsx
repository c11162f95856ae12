import { Button, Card, Group, Pagination, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
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
 * A page that came back empty from a list that has items: a page past the last (an old or shared
 * link, a number typed by hand). Saying the list is empty there would be wrong.
 */
export function isPastLastPage(page: Page<unknown>): boolean {
  return page.content.length === 0 && page.totalElements > 0;
}

/** In place of a list's "nothing here yet" on a page past its last: what happened, and the way back. */
export function PastLastPage({ onFirstPage }: { onFirstPage: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack p="lg" gap="xs" align="flex-start" data-testid="past-last-page">
      <Text c="dimmed">{t('common.pastLastPage')}</Text>
      <Button size="xs" variant="light" onClick={onFirstPage}>
        {t('common.firstPage')}
      </Button>
    </Stack>
  );
}

/**
 * One page of a list query: the error with a retry, a skeleton while the first page loads, the
 * previous page dimmed while the next one loads, pagination (one-based in the UI) when there is more,
 * and the way back from a page past the last.
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
        {query.isPending ? (
          <Skeleton h={320} />
        ) : (
          page &&
          (isPastLastPage(page) ? <PastLastPage onFirstPage={() => onPage(0)} /> : children(page.content))
        )}
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
