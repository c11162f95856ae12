import { Anchor, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatTimeAgo } from '../../lib/format.ts';
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
  const services = useQuery(platformServicesQuery);
  const list = services.data?.services ?? [];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Platform
          </Title>
          <Text c="dimmed" size="sm">
            Registered services and the health of each instance, refreshed every {PLATFORM_REFRESH_MS / 1000}{' '}
            seconds.
          </Text>
        </div>
        {services.dataUpdatedAt > 0 && (
          <Text size="xs" c="dimmed">
            Updated {new Date(services.dataUpdatedAt).toLocaleTimeString('sv-SE')}
          </Text>
        )}
      </Group>

      {/* Keep showing the last good table when a background refetch fails. */}
      {services.isError && (
        <ApiErrorAlert
          error={services.error}
          title="Could not load the service registry"
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
  const metrics = useQuery(platformMetricsQuery);
  const rows = metrics.data?.services ?? [];
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Metrics at a glance
      </Title>
      <Text c="dimmed" size="sm">
        Requests per second, the share answered with 5xx and the 99th percentile latency since the previous
        look (up to a minute), from each instance’s /metrics. Health checks and scrapes are left out.
      </Text>
      {metrics.isError && (
        <ApiErrorAlert error={metrics.error} title="Could not read the services’ metrics" />
      )}
      {metrics.isPending && <Skeleton h={160} />}
      {metrics.data && (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" aria-label="Service metrics" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Service</Table.Th>
                  <Table.Th ta="right">Requests/s</Table.Th>
                  <Table.Th ta="right">Errors (5xx)</Table.Th>
                  <Table.Th ta="right">p99</Table.Th>
                  <Table.Th ta="right">Instances</Table.Th>
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
  const waiting = row.windowSeconds === null;
  const dash = (
    <Text
      span
      c="dimmed"
      size="sm"
      title={waiting ? 'Measuring: rates appear at the next refresh' : undefined}
    >
      —
    </Text>
  );
  const errorRate = row.errorRate;
  return (
    <Table.Tr>
      <Table.Td fw={600}>{row.name}</Table.Td>
      <Table.Td ta="right">
        {row.requestsPerSecond === null ? dash : row.requestsPerSecond.toFixed(2)}
      </Table.Td>
      <Table.Td ta="right" c={errorRate ? 'red.7' : undefined}>
        {errorRate === null
          ? dash
          : `${(errorRate * 100).toFixed(errorRate > 0 && errorRate < 0.01 ? 2 : 1)} %`}
      </Table.Td>
      <Table.Td ta="right">
        {row.p99Ms === null ? dash : `${Math.round(row.p99Ms).toLocaleString('en-US')} ms`}
      </Table.Td>
      <Table.Td ta="right">
        {row.instances}
        {row.unreachable > 0 && (
          <Text span c="red.7" size="sm">
            {' '}
            ({row.unreachable} not answering)
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function PlatformSummary({ services }: { services: PlatformService[] }) {
  const instances = services.flatMap((service) => service.instances);
  const healthy = instances.filter((instance) => instance.health === 'UP').length;
  return (
    <Text size="sm" aria-live="polite">
      {services.length} services, {healthy} of {instances.length} instances healthy.
    </Text>
  );
}

/** One row per instance, named after its service so rows can be found by service name. */
function ServicesTable({ services }: { services: PlatformService[] }) {
  if (services.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        No services are registered with discovery yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Services">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service</Table.Th>
            <Table.Th>Instance</Table.Th>
            <Table.Th>URL</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Health</Table.Th>
            <Table.Th>Last heartbeat</Table.Th>
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
                          No instances running
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
                          {formatTimeAgo(instance.lastHeartbeatAt)}
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
