import { Anchor, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatTimeAgo } from '../../lib/format.ts';
import {
  PLATFORM_REFRESH_MS,
  type PlatformService,
  platformServicesQuery,
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
    </Stack>
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
