import { Anchor, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { elapsedSince, formatCount, formatDateTime, formatDecimal, formatPercent } from '../../lib/format.ts';
import {
  PLATFORM_REFRESH_MS,
  type PlatformService,
  platformMetricsQuery,
  platformServicesQuery,
  type ServiceMetrics,
} from '../../platform/platform-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { HealthBadge, InstanceStatusBadge } from '../../ui/badges.tsx';

export function PlatformPage() {
  const { t } = useTranslation();
  const services = useQuery(platformServicesQuery);
  const list = services.data?.services ?? [];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {t('adminNav.platform')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('platform.subtitle', { seconds: PLATFORM_REFRESH_MS / 1000 })}
          </Text>
        </div>
        {services.dataUpdatedAt > 0 && (
          <Text size="xs" c="dimmed">
            {t('platform.updated', {
              time: formatDateTime(new Date(services.dataUpdatedAt).toISOString()),
            })}
          </Text>
        )}
      </Group>

      {/* Keep showing the last good table when a background refetch fails. */}
      {services.isError && (
        <ApiErrorAlert
          error={services.error}
          title={t('platform.registryError')}
          onRetry={() => void services.refetch()}
        />
      )}
      {services.isPending && <Skeleton h={220} />}
      {services.data && <PlatformSummary services={list} />}
      {services.data && (
        <Card withBorder padding={0}>
          <ServicesTable services={list} />
        </Card>
      )}
      <MetricsAtAGlance />
    </Stack>
  );
}

/** Request rate, 5xx share and p99 per service, from the services' own /metrics (through the gateway). */
function MetricsAtAGlance() {
  const { t } = useTranslation();
  const metrics = useQuery(platformMetricsQuery);
  const rows = metrics.data?.services ?? [];
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('platform.metrics.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('platform.metrics.subtitle')}
      </Text>
      {metrics.isError && <ApiErrorAlert error={metrics.error} title={t('platform.metrics.error')} />}
      {metrics.isPending && <Skeleton h={160} />}
      {metrics.data && (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" aria-label={t('platform.metrics.table')} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('platform.service')}</Table.Th>
                  <Table.Th ta="right">{t('platform.metrics.requestsPerSecond')}</Table.Th>
                  <Table.Th ta="right">{t('platform.metrics.errors')}</Table.Th>
                  <Table.Th ta="right">{t('platform.metrics.p99')}</Table.Th>
                  <Table.Th ta="right">{t('platform.metrics.instances')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <MetricsRow key={row.name} row={row} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}

function MetricsRow({ row }: { row: ServiceMetrics }) {
  const { t } = useTranslation();
  const waiting = row.windowSeconds === null;
  const dash = (
    <Text span c="dimmed" size="sm" title={waiting ? t('platform.metrics.measuring') : undefined}>
      —
    </Text>
  );
  const errorRate = row.errorRate;
  return (
    <Table.Tr>
      <Table.Td fw={600}>{row.name}</Table.Td>
      <Table.Td ta="right">
        {row.requestsPerSecond === null ? dash : formatDecimal(row.requestsPerSecond, 2)}
      </Table.Td>
      <Table.Td ta="right" c={errorRate ? 'red.7' : undefined}>
        {errorRate === null ? dash : formatPercent(errorRate)}
      </Table.Td>
      <Table.Td ta="right">
        {row.p99Ms === null
          ? dash
          : t('platform.metrics.milliseconds', { value: formatCount(Math.round(row.p99Ms)) })}
      </Table.Td>
      <Table.Td ta="right">
        {formatCount(row.instances)}
        {row.unreachable > 0 && (
          <Text span c="red.7" size="sm">
            {' '}
            ({t('platform.metrics.notAnswering', { count: row.unreachable })})
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function PlatformSummary({ services }: { services: PlatformService[] }) {
  const { t } = useTranslation();
  const instances = services.flatMap((service) => service.instances);
  const healthy = instances.filter((instance) => instance.health === 'UP').length;
  return (
    <Text size="sm" aria-live="polite">
      {t('platform.summary', {
        services: formatCount(services.length),
        instances: formatCount(instances.length),
        healthy: formatCount(healthy),
      })}
    </Text>
  );
}

/** One row per instance, named after its service so rows can be found by service name. */
function ServicesTable({ services }: { services: PlatformService[] }) {
  const { t } = useTranslation();
  if (services.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('platform.noServices')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover verticalSpacing="sm" aria-label={t('platform.servicesTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('platform.service')}</Table.Th>
            <Table.Th>{t('platform.instance')}</Table.Th>
            <Table.Th>{t('platform.url')}</Table.Th>
            <Table.Th>{t('platform.status')}</Table.Th>
            <Table.Th>{t('platform.health')}</Table.Th>
            <Table.Th>{t('platform.lastHeartbeat')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...services]
            .sort((a, b) => a.name.localeCompare(b.name))
            .flatMap((service) =>
              service.instances.length === 0
                ? [
                    <Table.Tr key={service.name}>
                      <Table.Td fw={600}>{service.name}</Table.Td>
                      <Table.Td colSpan={5}>
                        <Text size="sm" c="dimmed">
                          {t('platform.noInstances')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>,
                  ]
                : service.instances.map((instance) => (
                    <Table.Tr key={`${service.name}/${instance.instanceId}`}>
                      <Table.Td fw={600}>{service.name}</Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {instance.instanceId}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Anchor href={instance.url} target="_blank" rel="noreferrer" size="sm">
                          {instance.url}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <InstanceStatusBadge status={instance.status} />
                      </Table.Td>
                      <Table.Td>
                        <HealthBadge health={instance.health} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" title={instance.lastHeartbeatAt ?? undefined}>
                          <TimeAgo iso={instance.lastHeartbeatAt} />
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )),
            )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** `3분 전` for a recent moment, its date and time once it is a day old. */
function TimeAgo({ iso }: { iso: string | null }) {
  const { t } = useTranslation();
  const elapsed = elapsedSince(iso);
  return elapsed ? t(`elapsed.${elapsed.unit}`, { count: elapsed.count }) : formatDateTime(iso);
}
