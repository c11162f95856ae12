import { Anchor, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
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
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';

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
          <MetricsTable rows={rows} />
        </Card>
      )}
    </Stack>
  );
}

function MetricsTable({ rows }: { rows: ServiceMetrics[] }) {
  const { t } = useTranslation();
  const dash = (row: ServiceMetrics) => (
    <Text
      span
      c="dimmed"
      size="sm"
      title={row.windowSeconds === null ? t('platform.metrics.measuring') : undefined}
    >
      —
    </Text>
  );
  const columns: DataColumn<ServiceMetrics>[] = [
    {
      key: 'service',
      header: t('platform.service'),
      phone: 'title',
      cellProps: { fw: 600 },
      cell: (row) => row.name,
    },
    {
      key: 'requestsPerSecond',
      header: t('platform.metrics.requestsPerSecond'),
      align: 'right',
      cell: (row) => (row.requestsPerSecond === null ? dash(row) : formatDecimal(row.requestsPerSecond, 2)),
    },
    {
      key: 'errors',
      header: t('platform.metrics.errors'),
      align: 'right',
      cellProps: (row) => ({ c: row.errorRate ? 'red.7' : undefined }),
      cell: (row) => (row.errorRate === null ? dash(row) : formatPercent(row.errorRate)),
    },
    {
      key: 'p99',
      header: t('platform.metrics.p99'),
      align: 'right',
      cell: (row) =>
        row.p99Ms === null
          ? dash(row)
          : t('platform.metrics.milliseconds', { value: formatCount(Math.round(row.p99Ms)) }),
    },
    {
      key: 'instances',
      header: t('platform.metrics.instances'),
      align: 'right',
      cell: (row) => (
        <>
          {formatCount(row.instances)}
          {row.unreachable > 0 && (
            <Text span c="red.7" size="sm">
              {' '}
              ({t('platform.metrics.notAnswering', { count: row.unreachable })})
            </Text>
          )}
        </>
      ),
    },
  ];
  return (
    <DataTable
      label={t('platform.metrics.table')}
      columns={columns}
      rows={rows}
      rowKey={(row) => row.name}
      minWidth={560}
      verticalSpacing="xs"
      fz="sm"
    />
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

/** An instance of a service, or the service alone while it has none. */
interface InstanceRow {
  service: PlatformService;
  instance: PlatformService['instances'][number] | null;
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
  const rows = [...services]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((service): InstanceRow[] =>
      service.instances.length === 0
        ? [{ service, instance: null }]
        : service.instances.map((instance) => ({ service, instance })),
    );
  const columns: DataColumn<InstanceRow>[] = [
    {
      key: 'service',
      header: t('platform.service'),
      phone: 'title',
      cellProps: { fw: 600 },
      cell: ({ service }) => service.name,
    },
    {
      key: 'instance',
      header: t('platform.instance'),
      cell: ({ instance }) =>
        instance ? (
          <Text size="sm" ff="monospace">
            {instance.instanceId}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('platform.noInstances')}
          </Text>
        ),
    },
    {
      key: 'url',
      header: t('platform.url'),
      cell: ({ instance }) =>
        instance && (
          <Anchor href={instance.url} target="_blank" rel="noreferrer" size="sm">
            {instance.url}
          </Anchor>
        ),
    },
    {
      key: 'status',
      header: t('platform.status'),
      phone: 'status',
      cell: ({ instance }) => instance && <InstanceStatusBadge status={instance.status} />,
    },
    {
      key: 'health',
      header: t('platform.health'),
      cell: ({ instance }) => instance && <HealthBadge health={instance.health} />,
    },
    {
      key: 'lastHeartbeat',
      header: t('platform.lastHeartbeat'),
      phone: 'date',
      cell: ({ instance }) =>
        instance && (
          <Text size="sm" title={instance.lastHeartbeatAt ?? undefined}>
            <TimeAgo iso={instance.lastHeartbeatAt} />
          </Text>
        ),
    },
  ];
  return (
    <DataTable
      label={t('platform.servicesTable')}
      columns={columns}
      rows={rows}
      rowKey={({ service, instance }) => (instance ? `${service.name}/${instance.instanceId}` : service.name)}
      minWidth={720}
      highlightOnHover
      verticalSpacing="sm"
    />
  );
}

/** `3분 전` for a recent moment, its date and time once it is a day old. */
function TimeAgo({ iso }: { iso: string | null }) {
  const { t } = useTranslation();
  const elapsed = elapsedSince(iso);
  return elapsed ? t(`elapsed.${elapsed.unit}`, { count: elapsed.count }) : formatDateTime(iso);
}
