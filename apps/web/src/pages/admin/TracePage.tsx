import { Anchor, Badge, Box, Code, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../lib/format.ts';
import {
  buildWaterfall,
  formatMicros,
  parseTraceId,
  serviceColor,
  summarize,
  type WaterfallRow,
} from '../../traces/trace-model.ts';
import { traceQuery } from '../../traces/traces-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

/** One trace as a waterfall: a bar per span, indented under its parent, coloured by service. */
export function TracePage() {
  const traceId = parseTraceId(useParams().traceId ?? '') ?? '';
  const trace = useQuery({ ...traceQuery(traceId), enabled: traceId !== '' });
  const [open, setOpen] = useState<string | null>(null);

  if (!traceId) return <Text>That is not a trace id.</Text>;
  if (trace.error) return <ApiErrorAlert error={trace.error} />;
  if (!trace.data) return <Text c="dimmed">Loading the trace…</Text>;
  const summary = summarize(trace.data);
  const rows = buildWaterfall(trace.data);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/admin/traces" size="sm">
        ← Traces
      </Anchor>
      <Title order={1} size="h2">
        {summary.rootService}: {summary.root || '(unnamed)'}
      </Title>
      <Group gap="lg">
        <Text size="sm">
          Trace <Code>{summary.traceId}</Code>
        </Text>
        <Text size="sm">{formatDateTime(new Date(summary.startUs / 1000).toISOString())}</Text>
        <Text size="sm">{formatMicros(summary.durationUs)}</Text>
        <Text size="sm">{summary.spanCount} spans</Text>
        {summary.errors > 0 && <Badge color="red">{summary.errors} failed</Badge>}
      </Group>
      <Group gap={4}>
        {summary.services.map((s) => (
          <Badge key={s} variant="light" color={serviceColor(s)}>
            {s}
          </Badge>
        ))}
      </Group>
      <Box role="list" aria-label="Spans">
        {rows.map((row) => (
          <SpanBar
            key={`${row.span.id}-${row.span.kind ?? ''}-${row.service}`}
            row={row}
            open={open === row.span.id}
            onToggle={() => setOpen(open === row.span.id ? null : row.span.id)}
          />
        ))}
      </Box>
    </Stack>
  );
}

function SpanBar({ row, open, onToggle }: { row: WaterfallRow; open: boolean; onToggle: () => void }) {
  const color = row.error ? 'red' : serviceColor(row.service);
  const label = `${row.service} ${row.span.name ?? ''}`;
  return (
    <Box role="listitem" data-service={row.service} data-error={row.error || undefined}>
      <Group
        gap="xs"
        wrap="nowrap"
        onClick={onToggle}
        style={{ cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-gray-2)' }}
        py={2}
      >
        <Text size="xs" w={{ base: 150, sm: 320 }} truncate="end" pl={row.depth * 12} title={label}>
          {row.hop && (
            <Badge size="xs" variant="outline" color="grape" mr={4}>
              {row.hop === 'publish' ? 'event out' : 'event in'}
            </Badge>
          )}
          <Text span size="xs" fw={600} c={`${serviceColor(row.service)}.8`}>
            {row.service}
          </Text>{' '}
          {row.span.name}
        </Text>
        <Box style={{ flex: 1, position: 'relative', height: 14 }}>
          <Tooltip label={`${label}: ${formatMicros(row.durationUs)}`}>
            <Box
              bg={`${color}.${row.error ? 6 : 4}`}
              style={{
                position: 'absolute',
                left: `${row.offset * 100}%`,
                width: `max(2px, ${row.width * 100}%)`,
                top: 2,
                bottom: 2,
                borderRadius: 2,
              }}
            />
          </Tooltip>
        </Box>
        <Text size="xs" w={70} ta="right" c={row.error ? 'red.7' : 'dimmed'}>
          {formatMicros(row.durationUs)}
        </Text>
      </Group>
      {open && <SpanDetails row={row} />}
    </Box>
  );
}

function SpanDetails({ row }: { row: WaterfallRow }) {
  const { span } = row;
  const tags = Object.entries(span.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Paper withBorder p="sm" my={4} ml={row.depth * 12}>
      <Table fz="xs" verticalSpacing={2} aria-label="Span attributes">
        <Table.Tbody>
          <Table.Tr>
            <Table.Td fw={600}>span</Table.Td>
            <Table.Td>
              <Code>{span.id}</Code> {span.kind ?? 'INTERNAL'}
              {span.parentId && (
                <>
                  {' '}
                  under <Code>{span.parentId}</Code>
                </>
              )}
            </Table.Td>
          </Table.Tr>
          {span.remoteEndpoint?.serviceName && (
            <Table.Tr>
              <Table.Td fw={600}>remote</Table.Td>
              <Table.Td>{span.remoteEndpoint.serviceName}</Table.Td>
            </Table.Tr>
          )}
          {tags.map(([key, value]) => (
            <Table.Tr key={key}>
              <Table.Td fw={600} c={key === 'error' ? 'red.7' : undefined}>
                {key}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
          {(span.annotations ?? []).map((a) => (
            <Table.Tr key={`${a.timestamp}-${a.value}`}>
              <Table.Td fw={600}>{formatMicros(Math.max(0, a.timestamp - (span.timestamp ?? 0)))}</Table.Td>
              <Table.Td>{a.value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
