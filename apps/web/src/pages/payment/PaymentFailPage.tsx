import { Alert, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { OrderLinks } from './OrderLinks.tsx';

/** The PG's code when the shopper closed or cancelled the payment window. */
const USER_CANCELLED_CODE = 'PAY_PROCESS_CANCELED';

/**
 * `/payment/fail?code&message&orderNumber&orderId`: the PG sent the shopper back without a payment
 * (the window was cancelled, or the PG refused to start). Nothing was charged; the order still waits
 * for payment until it is paid from its page or cancelled (by the shopper or the unpaid timeout).
 */
export function PaymentFailPage() {
  const [params] = useSearchParams();
  const code = params.get('code');
  const message = params.get('message');
  const orderNumber = params.get('orderNumber');
  const cancelledByShopper = code === USER_CANCELLED_CODE;

  return (
    <Stack gap="lg" maw={640} mx="auto">
      <Title order={1} size="h2">
        {cancelledByShopper ? 'Payment cancelled' : 'Payment not completed'}
      </Title>
      <Alert color="orange" variant="light" role="alert" title={message ?? 'The payment was not completed.'}>
        <Text size="sm">
          Nothing was charged.
          {orderNumber && (
            <>
              {' '}
              Order <strong>{orderNumber}</strong> keeps its items reserved for a while: pay for it from the
              order page, or cancel it there.
            </>
          )}
        </Text>
        {code && (
          <Text size="xs" c="dimmed" mt={4}>
            Code: {code}
          </Text>
        )}
      </Alert>
      <OrderLinks orderId={params.get('orderId')} primary />
    </Stack>
  );
}
