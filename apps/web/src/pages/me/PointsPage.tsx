import { Card, Group, Pagination, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatPoints } from '../../lib/format.ts';
import { pageParamValue, readPageIndex } from '../../lib/page-param.ts';
import { myPointsQuery, POINT_LEDGER_PAGE_SIZE } from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { isPastLastPage, PastLastPage } from '../../ui/PagedResults.tsx';
import { PointChargesTable } from './PointChargesTable.tsx';
import { PointLedgerTable } from './PointLedgerTable.tsx';
import { PointsChargeForm } from './PointsChargeForm.tsx';

export function PointsPage() {
  const [params, setParams] = useSearchParams();
  const { t } = useTranslation();
  usePageTitle(t('title.points'));
  const page = readPageIndex(params);
  const points = useQuery(myPointsQuery({ page, size: POINT_LEDGER_PAGE_SIZE }));

  const goToPage = (oneBased: number) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      const value = pageParamValue(oneBased - 1);
      if (value) next.set('page', value);
      else next.delete('page');
      return next;
    });

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('pointsPage.title')}
      </Title>
      {points.isError && <ApiErrorAlert error={points.error} onRetry={() => void points.refetch()} />}

      <Group align="stretch" grow preventGrowOverflow={false} wrap="wrap">
        <Card withBorder padding="lg" component="section" aria-labelledby="balance-title" miw={240}>
          <Text id="balance-title" size="sm" c="dimmed" fw={600}>
            {t('pointsPage.balance')}
          </Text>
          {points.data ? (
            <Text fz={36} fw={800} aria-live="polite" data-testid="point-balance">
              {formatPoints(points.data.balance)}
            </Text>
          ) : (
            <Skeleton h={44} mt={4} w={160} />
          )}
          <Text size="xs" c="dimmed" mt="xs">
            {t('pointsPage.rate')} {t('pointsPage.earnRate')}
          </Text>
        </Card>
        <PointsChargeForm />
      </Group>

      <Card withBorder padding="lg" component="section" aria-labelledby="charges-title">
        <Title id="charges-title" order={2} size="h4" mb="sm">
          {t('pointsPage.charges')}
        </Title>
        <PointChargesTable />
      </Card>

      <Card withBorder padding="lg" component="section" aria-labelledby="ledger-title">
        <Title id="ledger-title" order={2} size="h4" mb="sm">
          {t('pointsPage.history')}
        </Title>
        {points.data ? (
          <>
            {isPastLastPage(points.data.ledger) ? (
              <PastLastPage onFirstPage={() => goToPage(1)} />
            ) : (
              <PointLedgerTable entries={points.data.ledger.content} />
            )}
            {points.data.ledger.totalPages > 1 && (
              <Group justify="center" mt="md">
                <Pagination
                  total={points.data.ledger.totalPages}
                  value={points.data.ledger.page + 1}
                  onChange={goToPage}
                  aria-label={t('pointsPage.historyPages')}
                />
              </Group>
            )}
          </>
        ) : (
          points.isPending && <Skeleton h={200} />
        )}
      </Card>
    </Stack>
  );
}
