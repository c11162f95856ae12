import { Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  type AdminDashboard,
  adminDashboardQuery,
  DASHBOARD_REFRESH_MS,
} from '../../admin-dashboard/dashboard-api.ts';
import { formatDateTime, formatWon, formatWonTick } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';

/** Bar colours by order status, as the badges colour them (Mantine's palette, shade 6). */
const STATUS_FILL: Record<string, string> = {
  PENDING: '#868e96',
  PAYMENT_PENDING: '#fab005',
  PAID: '#12b886',
  SHIPPING: '#228be6',
  DELIVERED: '#4c6ef5',
  RETURNED: '#be4bdb',
  CANCELLED: '#fa5252',
};

/** `/admin/dashboard`: where an admin lands. The figures come from events and refresh by themselves. */
export function DashboardPage() {
  const { t } = useTranslation();
  const dashboard = useQuery(adminDashboardQuery);
  const data = dashboard.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {t('dashboard.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('dashboard.subtitle', { seconds: DASHBOARD_REFRESH_MS / 1000 })}
          </Text>
        </div>
        {data && (
          <Text size="xs" c="dimmed" aria-live="polite">
            {t('dashboard.updated', { time: formatDateTime(data.generatedAt) })}
          </Text>
        )}
      </Group>

      {dashboard.isError && (
        <ApiErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      )}
      {dashboard.isPending && <Skeleton h={320} />}
      {data && <Figures data={data} />}
    </Stack>
  );
}

function Figures({ data }: { data: AdminDashboard }) {
  const { t } = useTranslation();
  const openClaims = data.openClaims.returns + data.openClaims.exchanges;
  const topProductColumns: DataColumn<AdminDashboard['topProducts'][number]>[] = [
    {
      key: 'product',
      header: t('dashboard.product'),
      phone: 'title',
      cell: (p) => (
        <Anchor component={Link} to={`/admin/products/${p.productId}`} size="sm">
          {p.productName}
        </Anchor>
      ),
    },
    {
      key: 'quantity',
      header: t('dashboard.quantity'),
      align: 'right',
      cell: (p) => t('dashboard.units', { count: p.quantity }),
    },
    {
      key: 'sales',
      header: t('dashboard.sales'),
      align: 'right',
      phone: 'amount',
      cell: (p) => formatWon(p.sales),
    },
  ];
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Stat
          label={t('dashboard.todaySales')}
          value={formatWon(data.today.sales)}
          note={t('dashboard.ordersCount', { count: data.today.orders })}
        />
        <Stat label={t('dashboard.todayOrders')} value={t('dashboard.count', { count: data.today.orders })} />
        <Stat
          label={t('dashboard.weekSales')}
          value={formatWon(data.week.sales)}
          note={t('dashboard.ordersCount', { count: data.week.orders })}
        />
        <Stat
          label={t('dashboard.openClaims')}
          value={t('dashboard.count', { count: openClaims })}
          note={t('dashboard.claimCounts', {
            returns: t('dashboard.claimReturns', { count: data.openClaims.returns }),
            exchanges: t('dashboard.claimExchanges', { count: data.openClaims.exchanges }),
          })}
        />
      </SimpleGrid>
      {/* Order lists show totals with points; these figures are what the PG took (ADR 0007). */}
      <Text size="xs" c="dimmed">
        {t('dashboard.salesNote')}
      </Text>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title={t('dashboard.salesByDay')}>
          <div style={{ width: '100%', height: 220 }}>
            <ResponsiveContainer>
              <BarChart data={data.week.days.map((d) => ({ ...d, day: d.date.slice(5) }))}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" fontSize={12} />
                <YAxis fontSize={12} width={56} tickFormatter={(v: number) => formatWonTick(v)} />
                <Tooltip
                  formatter={(v) => [formatWon(Number(v)), t('dashboard.sales')]}
                  cursor={{ fill: 'rgba(34, 139, 230, 0.08)' }}
                />
                <Bar dataKey="sales" fill="#228be6" radius={[4, 4, 0, 0]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Section>

        <Section title={t('dashboard.ordersByStatus')}>
          {data.ordersByStatus.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.noOrders')}
            </Text>
          ) : (
            <Stack gap="xs">
              <div style={{ width: '100%', height: 40 * data.ordersByStatus.length + 20 }}>
                <ResponsiveContainer>
                  <BarChart
                    layout="vertical"
                    data={data.ordersByStatus.map((s) => ({ ...s, label: t(`status.order.${s.status}`) }))}
                    margin={{ left: 8, right: 24 }}
                  >
                    <XAxis type="number" allowDecimals={false} fontSize={12} />
                    <YAxis type="category" dataKey="label" width={72} fontSize={12} />
                    <Tooltip
                      formatter={(v) => [t('dashboard.ordersCount', { count: Number(v) })]}
                      cursor={{ fill: 'rgba(0, 0, 0, 0.04)' }}
                    />
                    <Bar dataKey="count" isAnimationActive={false} radius={[0, 4, 4, 0]}>
                      {data.ordersByStatus.map((s) => (
                        <Cell key={s.status} fill={STATUS_FILL[s.status] ?? '#868e96'} />
                      ))}
                    </Bar>
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <Group gap="xs" component="ul" aria-label={t('dashboard.ordersByStatus')} p={0} m={0}>
                {data.ordersByStatus.map((s) => (
                  <li key={s.status} style={{ listStyle: 'none' }}>
                    <Group gap={4} wrap="nowrap">
                      <OrderStatusBadge status={s.status} />
                      <Text size="sm" fw={600} data-status={s.status}>
                        {t('dashboard.count', { count: s.count })}
                      </Text>
                    </Group>
                  </li>
                ))}
              </Group>
            </Stack>
          )}
        </Section>

        <Section title={t('dashboard.topProducts')}>
          {data.topProducts.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.noSales')}
            </Text>
          ) : (
            <DataTable
              label={t('dashboard.topProducts')}
              columns={topProductColumns}
              rows={data.topProducts}
              rowKey={(p) => p.productId}
              minWidth={300}
            />
          )}
        </Section>

        <Section
          title={t('dashboard.lowStock', { threshold: data.lowStockThreshold })}
          aside={
            data.lowStockTotal !== undefined &&
            data.lowStockTotal > data.lowStock.length && (
              <Text size="xs" c="dimmed" data-testid="low-stock-count">
                {t('dashboard.lowStockShown', { shown: data.lowStock.length, total: data.lowStockTotal })}
              </Text>
            )
          }
        >
          {data.lowStock.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.noLowStock')}
            </Text>
          ) : (
            <Stack
              component="ul"
              gap={6}
              p={0}
              m={0}
              aria-label={t('dashboard.lowStock', { threshold: data.lowStockThreshold })}
            >
              {data.lowStock.map((s) => (
                <Group
                  key={s.skuId}
                  component="li"
                  justify="space-between"
                  wrap="nowrap"
                  style={{ listStyle: 'none' }}
                >
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Anchor component={Link} to={`/admin/products/${s.productId}`} size="sm">
                      {s.productName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {s.optionLabel || s.skuCode}
                    </Text>
                  </div>
                  <Badge color={s.stock === 0 ? 'red' : 'orange'} variant="light" style={{ flexShrink: 0 }}>
                    {s.stock === 0 ? t('dashboard.soldOut') : t('dashboard.stockLeft', { count: s.stock })}
                  </Badge>
                </Group>
              ))}
            </Stack>
          )}
          {/* The card lists ten; the product list, filtered by the same threshold, shows every product they belong to. */}
          {data.lowStock.length > 0 && (
            <Anchor
              component={Link}
              to="/admin/products?stock=low"
              size="sm"
              mt="sm"
              display="block"
              data-testid="low-stock-all"
            >
              {t('dashboard.lowStockAll')}
            </Anchor>
          )}
        </Section>

        <Section title={t('dashboard.recentClaims')}>
          {data.openClaims.recent.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.noClaims')}
            </Text>
          ) : (
            <Stack component="ul" gap={6} p={0} m={0} aria-label={t('dashboard.recentClaims')}>
              {data.openClaims.recent.map((c) => (
                <Group
                  key={c.claimId}
                  component="li"
                  justify="space-between"
                  wrap="nowrap"
                  style={{ listStyle: 'none' }}
                >
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Anchor component={Link} to={`/admin/orders/${encodeURIComponent(c.orderId)}`} size="sm">
                      {c.orderNumber}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(c.requestedAt)}
                    </Text>
                  </div>
                  <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                    <Badge variant="light">{t(`dashboard.claimKind.${c.kind}`)}</Badge>
                    <Badge variant="outline" color="gray">
                      {t(`dashboard.claimStatus.${c.status}`)}
                    </Badge>
                  </Group>
                </Group>
              ))}
            </Stack>
          )}
        </Section>

        <Section title={t('dashboard.chats')}>
          <Stack gap="xs" align="flex-start">
            <SimpleGrid cols={2} spacing="sm" w="100%">
              <Stat
                label={t('dashboard.chatsWaiting')}
                value={t('dashboard.count', { count: data.openChats.waiting })}
              />
              <Stat
                label={t('dashboard.chatsInProgress')}
                value={t('dashboard.count', { count: data.openChats.inProgress })}
              />
            </SimpleGrid>
            <Button component={Link} to="/admin/chat" variant="light" size="xs">
              {t('dashboard.openConsole')}
            </Button>
          </Stack>
        </Section>
      </SimpleGrid>
    </Stack>
  );
}

function Stat({ label, value, note }: { label: string; value: string; note?: string | undefined }) {
  return (
    <Card withBorder padding="sm" role="group" aria-label={label}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid="stat-value">
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Card>
  );
}

function Section({
  title,
  aside,
  children,
}: {
  title: string;
  /** Beside the title, e.g. how many of how many are listed. */
  aside?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Group justify="space-between" align="baseline" gap="xs" mb="sm">
        <Text fw={600}>{title}</Text>
        {aside}
      </Group>
      {children}
    </Card>
  );
}
