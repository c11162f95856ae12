import { Anchor, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { adminPaymentsQuery } from '../../admin-payments/admin-payments-api.ts';
import { adminPaymentFailureLabel } from '../../admin-payments/failure-label.ts';
import {
  type AdminPaymentSearch,
  adminPaymentSearchParams,
  parseAdminPaymentSearch,
} from '../../admin-payments/payment-search.ts';
import { refundReasonLabel } from '../../admin-payments/refund-reason.ts';
import { paymentMethodLabel } from '../../i18n/labels.ts';
import { formatCount, formatDateTime, formatWon } from '../../lib/format.ts';
import { paymentStanding } from '../../payments/payment-standing.ts';
import { PAYMENT_STATUSES, type Payment, type PaymentStatus } from '../../payments/payments-api.ts';
import { PaymentStatusBadge } from '../../ui/badges.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
import { PagedResults, ResultCount } from '../../ui/PagedResults.tsx';
import { ListSearchBox } from './ListSearchBox.tsx';

export function PaymentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = parseAdminPaymentSearch(params);
  const payments = useQuery(adminPaymentsQuery(search));
  const changeSearch = (change: Partial<AdminPaymentSearch>) =>
    setParams(adminPaymentSearchParams({ ...search, page: 0, ...change }));
  const result = payments.data;

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('adminOrders.payments.title')}
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <ListSearchBox
          key={search.orderNumber}
          initial={search.orderNumber}
          label={t('adminOrders.payments.search')}
          fieldLabel={t('adminOrders.payments.orderNumber')}
          placeholder={t('adminOrders.payments.orderNumberPlaceholder')}
          onSearch={(orderNumber) => changeSearch({ orderNumber })}
        />
        <NativeSelect
          label={t('adminOrders.payments.status')}
          value={search.status}
          onChange={(event) => changeSearch({ status: event.currentTarget.value as PaymentStatus | '' })}
          data={[
            { value: '', label: t('adminOrders.payments.allStatuses') },
            ...PAYMENT_STATUSES.map((value) => ({ value, label: t(`status.payment.${value}`) })),
          ]}
        />
        <ResultCount
          page={result}
          words={(count, total) =>
            t(count === 1 ? 'adminOrders.payments.countOne' : 'adminOrders.payments.countOther', { total })
          }
        />
      </Group>

      <PagedResults
        query={payments}
        label={t('adminOrders.payments.pages')}
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <PaymentsTable payments={rows} />}
      </PagedResults>
    </Stack>
  );
}

function PaymentsTable({ payments }: { payments: Payment[] }) {
  const { t } = useTranslation();
  if (payments.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminOrders.payments.none')}
      </Text>
    );
  }
  const columns: DataColumn<Payment>[] = [
    {
      key: 'created',
      header: t('adminOrders.payments.column.created'),
      phone: 'date',
      cell: (payment) => formatDateTime(payment.createdAt),
    },
    {
      key: 'order',
      header: t('adminOrders.payments.column.order'),
      phone: 'title',
      cell: (payment) => (
        <>
          <Anchor
            component={Link}
            to={`/admin/orders/${encodeURIComponent(payment.orderId)}`}
            ff="monospace"
            fw={600}
          >
            {payment.orderNumber}
          </Anchor>
          <Text size="xs" c="dimmed" ff="monospace" title={t('adminOrders.payments.paymentKey')}>
            {payment.paymentKey}
          </Text>
        </>
      ),
    },
    {
      key: 'amount',
      header: t('adminOrders.payments.column.amount'),
      align: 'right',
      phone: 'amount',
      cell: (payment) => formatWon(payment.amount),
    },
    {
      key: 'status',
      header: t('adminOrders.payments.column.status'),
      phone: 'status',
      cell: (payment) => <PaymentStatusBadge status={paymentStanding(payment, payment.refundedAmount)} />,
    },
    {
      key: 'method',
      header: t('adminOrders.payments.column.method'),
      cell: (payment) => (payment.method ? paymentMethodLabel(payment.method) : '—'),
    },
    {
      key: 'details',
      header: t('adminOrders.payments.column.details'),
      cell: (payment) => <PaymentDetails payment={payment} />,
    },
  ];
  return (
    <DataTable
      label={t('adminOrders.payments.table')}
      columns={columns}
      rows={payments}
      rowKey={(payment) => payment.paymentId}
      minWidth={900}
      highlightOnHover
      verticalSpacing="sm"
    />
  );
}

function PaymentDetails({ payment }: { payment: Payment }) {
  return (
    <div data-testid="payment-details">
      <PaymentDetailsText payment={payment} />
    </div>
  );
}

/** Why a refund was made, on a line of its own: it has brackets of its own ("주문 취소 (고객 취소)"). */
function RefundReasonLine({ reason }: { reason: string | null }) {
  return reason ? (
    <Text size="xs" c="dimmed">
      {refundReasonLabel(reason)}
    </Text>
  ) : null;
}

function PaymentDetailsText({ payment }: { payment: Payment }) {
  const { t } = useTranslation();
  if (payment.status === 'FAILED') {
    return (
      // The failure by its code in the reader's language; the PG's own (Korean) words and the code are
      // for support: on hover, never in the reader's face.
      <Text
        size="sm"
        title={[payment.failureCode, payment.failureMessage].filter(Boolean).join(' · ') || undefined}
      >
        {adminPaymentFailureLabel(payment.failureCode)}
      </Text>
    );
  }
  if (payment.status === 'REFUNDED') {
    return (
      <>
        <Text size="sm">
          {t('adminOrders.payments.refunded', { at: formatDateTime(payment.refundedAt) })}
        </Text>
        <RefundReasonLine reason={payment.refundReason} />
      </>
    );
  }
  if (payment.refundRequested) {
    return (
      <>
        <Text size="sm" c="orange.8">
          {t('adminOrders.payments.refunding')}
        </Text>
        <RefundReasonLine reason={payment.refundReason} />
      </>
    );
  }
  if (payment.status === 'APPROVED' && payment.refundedAmount > 0) {
    // Returns refund part of a payment through the PG, one refund per return.
    return (
      <Text size="sm" data-testid="payment-refunded">
        {t(
          payment.refunds.length === 1
            ? 'adminOrders.payments.partlyRefundedOne'
            : 'adminOrders.payments.partlyRefundedOther',
          {
            at: formatDateTime(payment.approvedAt),
            amount: formatWon(payment.refundedAmount),
            returns: formatCount(payment.refunds.length),
          },
        )}
      </Text>
    );
  }
  if (payment.status === 'APPROVED')
    return (
      <Text size="sm">{t('adminOrders.payments.approved', { at: formatDateTime(payment.approvedAt) })}</Text>
    );
  return (
    <Text size="sm" c="dimmed">
      {t('adminOrders.payments.waiting')}
    </Text>
  );
}
