import { Anchor, Badge, Box, Code, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatCount, formatDateTime } from '../../lib/format.ts';
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
  const { t } = useTranslation();
  const traceId = parseTraceId(useParams().traceId ?? '') ?? '';
  const trace = useQuery({ ...traceQuery(traceId), enabled: traceId !== '' });
  const [open, setOpen] = useState<string | null>(null);

  if (!traceId) return <Text>{t('adminTrace.invalidId')}</Text>;
  if (trace.error) return <ApiErrorAlert error={trace.error} />;
  if (!trace.data) return <Text c="dimmed">{t('adminTrace.loading')}</Text>;
  const summary = summarize(trace.data);
  const rows = buildWaterfall(trace.data);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/admin/traces" size="sm">
        {t('adminTrace.back')}
      </Anchor>
      <Title order={1} size="h2">
        {summary.rootService}: {summary.root || t('traces.unnamed')}
      </Title>
      <Group gap="lg">
        <Text size="sm">
          {t('adminTrace.traceId')} <Code>{summary.traceId}</Code>
        </Text>
        <Text size="sm">{formatDateTime(new Date(summary.startUs / 1000).toISOString())}</Text>
        <Text size="sm">{formatMicros(summary.durationUs)}</Text>
        <Text size="sm">{t('adminTrace.spanCount', { spans: formatCount(summary.spanCount) })}</Text>
        {summary.errors > 0 && (
          <Badge color="red">{t('adminTrace.failed', { errors: formatCount(summary.errors) })}</Badge>
        )}
      </Group>
      <Group gap={4}>
        {summary.services.map((s) => (
          <Badge key={s} variant="light" color={serviceColor(s)}>
            {s}
          </Badge>
        ))}
      </Group>
      <Box role="list" aria-label={t('adminTrace.spans')}>
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
  const { t } = useTranslation();
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
              {t(`adminTrace.hop.${row.hop}`)}
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
  const { t } = useTranslation();
  const { span } = row;
  const tags = Object.entries(span.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Paper withBorder p="sm" my={4} ml={row.depth * 12}>
      <Table fz="xs" verticalSpacing={2} aria-label={t('adminTrace.attributes')}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td fw={600}>{t('adminTrace.span')}</Table.Td>
            <Table.Td>
              <Code>{span.id}</Code> {t(`adminTrace.kind.${span.kind ?? 'INTERNAL'}`)}
              {span.parentId && (
                <>
                  {' '}
                  {t('adminTrace.under')} <Code>{span.parentId}</Code>
                </>
              )}
            </Table.Td>
          </Table.Tr>
          {span.remoteEndpoint?.serviceName && (
            <Table.Tr>
              <Table.Td fw={600}>{t('adminTrace.remote')}</Table.Td>
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
