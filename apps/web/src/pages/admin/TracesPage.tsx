import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatCount, formatDateTime, formatDecimal, formatPercent } from '../../lib/format.ts';
import {
  type DependencyLink,
  formatMicros,
  layoutServiceMap,
  MAP_NODE_HEIGHT,
  MAP_NODE_WIDTH,
  parseTraceId,
  serviceColor,
  summarize,
  type TraceSummary,
} from '../../traces/trace-model.ts';
import {
  dependenciesQuery,
  LOOKBACKS,
  parseTraceSearch,
  serviceNamesQuery,
  spanNamesQuery,
  type TraceSearch,
  traceSearchParams,
  tracesQuery,
} from '../../traces/traces-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';

/** Find traces by service, operation, duration and error, or open one by the id an error message quoted. */
export function TracesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = parseTraceSearch(params);
  const change = (next: Partial<TraceSearch>) => setParams(traceSearchParams({ ...search, ...next }));
  const services = useQuery(serviceNamesQuery);
  const spanNames = useQuery(spanNamesQuery(search.serviceName));
  const traces = useQuery(tracesQuery(search));

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('adminNav.traces')}
      </Title>
      <OpenTraceForm />
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label={t('traces.service')}
          value={search.serviceName}
          onChange={(e) => change({ serviceName: e.currentTarget.value, spanName: '' })}
          data={[{ value: '', label: t('traces.allServices') }, ...(services.data ?? [])]}
        />
        <NativeSelect
          label={t('traces.operation')}
          value={search.spanName}
          disabled={!search.serviceName}
          onChange={(e) => change({ spanName: e.currentTarget.value })}
          data={[{ value: '', label: t('traces.allOperations') }, ...(spanNames.data ?? [])]}
        />
        <TextInput
          label={t('traces.longerThan')}
          inputMode="numeric"
          w={140}
          value={search.minDurationMs}
          onChange={(e) => change({ minDurationMs: e.currentTarget.value.replace(/\D/g, '').slice(0, 7) })}
        />
        <NativeSelect
          label={t('traces.window')}
          value={search.lookbackMinutes}
          onChange={(e) =>
            change({ lookbackMinutes: e.currentTarget.value as TraceSearch['lookbackMinutes'] })
          }
          data={LOOKBACKS.map((minutes) => ({ value: minutes, label: t(`traces.lookback.${minutes}`) }))}
        />
        <Checkbox
          label={t('traces.errorsOnly')}
          checked={search.errorsOnly}
          onChange={(e) => change({ errorsOnly: e.currentTarget.checked })}
          mb={8}
        />
      </Group>

      {traces.error ? (
        <ApiErrorAlert error={traces.error} />
      ) : traces.data && traces.data.length === 0 ? (
        <Text c="dimmed">{t('traces.noneMatch')}</Text>
      ) : (
        <TracesTable traces={(traces.data ?? []).map(summarize)} />
      )}

      <ServiceMap lookbackMinutes={search.lookbackMinutes} />
    </Stack>
  );
}

function TracesTable({ traces }: { traces: TraceSummary[] }) {
  const { t } = useTranslation();
  const columns: DataColumn<TraceSummary>[] = [
    {
      key: 'started',
      header: t('traces.started'),
      phone: 'date',
      cell: (trace) => formatDateTime(new Date(trace.startUs / 1000).toISOString()),
    },
    {
      key: 'operation',
      header: t('traces.operation'),
      phone: 'title',
      cell: (trace) => (
        <>
          <Anchor component={Link} to={`/admin/traces/${trace.traceId}`}>
            {trace.rootService}: {trace.root || t('traces.unnamed')}
          </Anchor>
          {trace.errors > 0 && (
            <Badge color="red" variant="light" ml="xs">
              {t('traces.errorCount', { count: trace.errors })}
            </Badge>
          )}
        </>
      ),
    },
    {
      key: 'services',
      header: t('traces.services'),
      cell: (trace) => (
        <Group gap={4}>
          {trace.services.map((s) => (
            <Badge key={s} size="xs" variant="light" color={serviceColor(s)}>
              {s}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      key: 'spans',
      header: t('traces.spans'),
      align: 'right',
      cell: (trace) => formatCount(trace.spanCount),
    },
    {
      key: 'duration',
      header: t('traces.duration'),
      align: 'right',
      phone: 'amount',
      cell: (trace) => formatMicros(trace.durationUs),
    },
  ];
  return (
    <DataTable
      label={t('traces.table')}
      columns={columns}
      rows={traces}
      rowKey={(trace) => trace.traceId}
      minWidth={640}
      striped
      highlightOnHover
      fz="sm"
    />
  );
}

function OpenTraceForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const traceId = parseTraceId(value);
        setInvalid(!traceId);
        if (traceId) navigate(`/admin/traces/${traceId}`);
      }}
    >
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('traces.traceId')}
          placeholder={t('traces.traceIdPlaceholder')}
          w={380}
          maw="100%"
          value={value}
          error={invalid ? t('traces.traceIdInvalid') : undefined}
          onChange={(e) => setValue(e.currentTarget.value)}
        />
        <Button type="submit" variant="light" mb={invalid ? 22 : 0}>
          {t('traces.open')}
        </Button>
      </Group>
    </form>
  );
}

/** Who calls whom (HTTP) or sends events to whom, from the collected spans, with error counts. */
function ServiceMap({ lookbackMinutes }: { lookbackMinutes: TraceSearch['lookbackMinutes'] }) {
  const { t } = useTranslation();
  const links = useQuery(dependenciesQuery(lookbackMinutes));
  const minutes = Number(lookbackMinutes);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('traces.map.title')}
      </Title>
      {links.error && <ApiErrorAlert error={links.error} />}
      {links.data && links.data.length === 0 && <Alert color="gray">{t('traces.map.empty')}</Alert>}
      {links.data && links.data.length > 0 && <ServiceMapGraph links={links.data} minutes={minutes} />}
      {links.data && links.data.length > 0 && <ServiceMapTable links={links.data} minutes={minutes} />}
    </Stack>
  );
}

function ServiceMapTable({ links, minutes }: { links: DependencyLink[]; minutes: number }) {
  const { t } = useTranslation();
  const service = (name: string) => (
    <Badge variant="light" color={serviceColor(name)}>
      {name}
    </Badge>
  );
  const columns: DataColumn<DependencyLink>[] = [
    { key: 'from', header: t('traces.map.from'), phone: 'title', cell: (link) => service(link.parent) },
    { key: 'to', header: t('traces.map.to'), cell: (link) => service(link.child) },
    {
      key: 'calls',
      header: t('traces.map.calls'),
      align: 'right',
      phone: 'amount',
      cell: (link) => formatCount(link.callCount),
    },
    {
      key: 'perMinute',
      header: t('traces.map.perMinute'),
      align: 'right',
      cell: (link) => perMinute(link.callCount, minutes),
    },
    {
      key: 'errors',
      header: t('traces.map.errors'),
      align: 'right',
      cellProps: (link) => ({ c: link.errorCount > 0 ? 'red.7' : undefined }),
      cell: (link) =>
        `${formatCount(link.errorCount)}${
          link.callCount > 0 && link.errorCount > 0
            ? ` (${formatPercent(link.errorCount / link.callCount)})`
            : ''
        }`,
    },
  ];
  return (
    <DataTable
      label={t('traces.map.table')}
      columns={columns}
      rows={links}
      rowKey={(link) => `${link.parent}>${link.child}`}
      minWidth={520}
      striped
      fz="sm"
    />
  );
}

function perMinute(count: number, minutes: number): string {
  const rate = count / minutes;
  if (rate >= 10) return formatCount(Math.round(rate));
  return rate >= 0.1 ? formatDecimal(rate, 1) : '<0.1';
}

/** The map as a graph: services left to right along their calls, each edge labelled calls/min and errors. */
function ServiceMapGraph({ links, minutes }: { links: DependencyLink[]; minutes: number }) {
  const { t } = useTranslation();
  const labelOf = (link: DependencyLink) =>
    t('traces.map.edgeRate', { rate: perMinute(link.callCount, minutes) }) +
    (link.errorCount > 0 ? ` · ${t('traces.map.edgeErrors', { count: link.errorCount })}` : '');
  const layout = layoutServiceMap(links, labelOf);
  const color = (service: string) => `var(--mantine-color-${serviceColor(service)}-6)`;
  return (
    <div style={{ overflowX: 'auto' }}>
      <svg
        role="img"
        aria-label={t('traces.map.graph')}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        style={{ display: 'block', fontSize: 12 }}
      >
        <defs>
          <marker
            id="map-arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="var(--mantine-color-gray-6)" />
          </marker>
        </defs>
        {layout.edges.map(({ link, path }) => (
          <path
            key={`${link.parent}>${link.child}`}
            d={path}
            fill="none"
            stroke={link.errorCount > 0 ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-gray-5)'}
            strokeWidth={1.5}
            markerEnd="url(#map-arrow)"
          />
        ))}
        {layout.nodes.map((node) => (
          <g key={node.name}>
            <rect
              x={node.x}
              y={node.y}
              width={MAP_NODE_WIDTH}
              height={MAP_NODE_HEIGHT}
              rx={8}
              fill="var(--mantine-color-body)"
              stroke={color(node.name)}
              strokeWidth={2}
            />
            <text
              x={node.x + MAP_NODE_WIDTH / 2}
              y={node.y + MAP_NODE_HEIGHT / 2 + 4}
              textAnchor="middle"
              fontWeight={600}
              fill="var(--mantine-color-text)"
            >
              {node.name}
            </text>
          </g>
        ))}
        {/* Labels last, each on a halo of the background: readable where it crosses other edges. */}
        {layout.edges.map(({ link, label }) => (
          <g key={`${link.parent}>${link.child}`} data-edge={`${link.parent} → ${link.child}`}>
            <text
              x={label.x}
              y={label.y + 4}
              textAnchor="middle"
              fill={link.errorCount > 0 ? 'var(--mantine-color-red-7)' : 'var(--mantine-color-dimmed)'}
              stroke="var(--mantine-color-body)"
              strokeWidth={4}
              paintOrder="stroke"
            >
              {labelOf(link)}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
