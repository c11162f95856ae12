import { Alert, Anchor, Button, Card, Grid, Loader, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useEffectEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { isApiError, isNotFoundError } from '../../api/api-error.ts';
import { type CartItem, cart as cartStore, MAX_CART_LINES } from '../../cart/cart-store.ts';
import { useCart } from '../../cart/use-cart.ts';
import { myCouponsQueryPrefix, usableCouponsQuery } from '../../coupons/coupons-api.ts';
import { cancelReasonLabel, serverFieldErrors } from '../../i18n/labels.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import {
  cartLinesTaken,
  completeCheckout,
  completePaidCheckout,
  readCheckoutDraft,
  recordCartOrder,
  saveCheckoutDraft,
} from '../../orders/checkout-draft.ts';
import {
  BUY_NOW_PARAM,
  buyNowPreview,
  cartOrderItems,
  type ItemPreview,
  parseBuyNow,
  REORDER_PARAM,
} from '../../orders/checkout-items.ts';
import {
  type DeliveryFormValues,
  deliveryFieldErrors,
  deliveryOf,
  EMPTY_DELIVERY,
  validateDelivery,
} from '../../orders/delivery-form.ts';
import { createAttemptKeys } from '../../orders/idempotency.ts';
import {
  cancelMyOrder,
  isSettling,
  myOrderQuery,
  myOrdersQueryPrefix,
  type Order,
  type OrderItemRequest,
  type PlaceOrderRequest,
  placeOrder,
  type QuoteRequest,
  quoteQuery,
} from '../../orders/orders-api.ts';
import { pgCheckoutUrl } from '../../payments/pg-checkout.ts';
import { myPointsQueryPrefix } from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import {
  addressFromDelivery,
  deliveryFromAddress,
  matchingAddress,
  myAddressesQuery,
  saveAddress,
} from '../../users/addresses-api.ts';
import { myProfileQuery } from '../../users/users-api.ts';
import { OrderAmounts } from '../orders/OrderAmounts.tsx';
import { CheckoutItems } from './CheckoutItems.tsx';
import { itemsRefusalMessage, quoteRefusal } from './checkout-refusals.ts';
import { DeliveryFields } from './DeliveryFields.tsx';
import { DiscountFields } from './DiscountFields.tsx';
import { SaveAddressCheckbox, SavedAddressPicker } from './SavedAddresses.tsx';

/** Typing in the points box should not send a quote per keystroke. */
const QUOTE_DEBOUNCE_MS = 300;

/**
 * `/checkout`: the cart's items (or `?buyNow=skuId:qty`, or `?reorder=orderId`: an order's own lines
 * and address again), delivery, coupon and points, the server's quote, then the order and the PG's
 * payment window.
 */
export function CheckoutPage() {
  const [params] = useSearchParams();
  const { state } = useLocation();
  const buyNowParam = params.get(BUY_NOW_PARAM);
  const reorderId = buyNowParam === null ? params.get(REORDER_PARAM) : null;
  const cart = useCart();
  const { t } = useTranslation();
  usePageTitle(t('checkout.title'));
  // The cart keeps its lines until the payment succeeds; meanwhile show the hand-over to the PG.
  const [leavingFor, setLeavingFor] = useState<Order | null>(null);
  // Ordering again: the order names its lines and address, whatever this tab's storage holds.
  const reorderQuery = myOrderQuery(reorderId ?? '');
  const reordered = useQuery({ ...reorderQuery, enabled: reorderId === null ? false : reorderQuery.enabled });
  const reorder = reorderId === null ? null : (reordered.data ?? null);

  const buyNow = useMemo(() => parseBuyNow(buyNowParam), [buyNowParam]);
  const cartKey = JSON.stringify(cartOrderItems(cart.items));
  const reorderKey = reorder
    ? JSON.stringify(reorder.items.map(({ skuId, quantity }) => ({ skuId, quantity })))
    : null;
  const items = useMemo<OrderItemRequest[]>(
    () => (buyNow ? [buyNow] : (JSON.parse(reorderKey ?? cartKey) as OrderItemRequest[])),
    [buyNow, cartKey, reorderKey],
  );
  // Buy now names its item from what the product page left in the history entry, if anything.
  const buyNowShown = buyNow && buyNowPreview(state, buyNow.skuId);
  const previews: readonly ItemPreview[] = buyNow
    ? buyNowShown
      ? [buyNowShown]
      : []
    : reorder
      ? reorder.items.map((line) => ({ ...line, name: line.productName }))
      : cart.items;

  if (leavingFor) return <LeavingForPayment order={leavingFor} />;
  if (reorderId !== null && !reorder) {
    return (
      <Stack gap="lg">
        <Title order={1} size="h2">
          {t('checkout.title')}
        </Title>
        {reordered.isError ? (
          <>
            <ApiErrorAlert
              error={reordered.error}
              title={t('checkout.reorderUnreadable')}
              onRetry={isNotFoundError(reordered.error) ? undefined : () => void reordered.refetch()}
            />
            <EmptyCheckout />
          </>
        ) : (
          <Text size="sm" c="dimmed" role="status">
            <Loader size="xs" mr={6} />
            {t('checkout.reorderLoading')}
          </Text>
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('checkout.title')}
      </Title>
      {buyNowParam !== null && !buyNow && (
        <Alert color="orange" variant="light" title={t('checkout.invalidBuyNow')}>
          {t('checkout.showingCart')}
        </Alert>
      )}
      {items.length === 0 ? (
        <EmptyCheckout />
      ) : items.length > MAX_CART_LINES ? (
        <TooManyItems count={items.length} />
      ) : (
        <Checkout
          key={reorder?.orderId ?? ''}
          items={items}
          cartLines={buyNow ? [] : cart.items}
          previews={previews}
          buyNow={buyNow !== null}
          reorder={reorder}
          onPlaced={(order) => setLeavingFor(order)}
        />
      )}
    </Stack>
  );
}

interface CheckoutProps {
  items: OrderItemRequest[];
  /** The cart's lines being ordered (none for buy now): a paid order takes them out of the cart. */
  cartLines: readonly CartItem[];
  /** What is shown of the items until the quote names and prices them. */
  previews: readonly ItemPreview[];
  buyNow: boolean;
  /** The order ordered again (`?reorder=`): its address is the one filled in. */
  reorder: Order | null;
  /** The order is placed and the shopper is leaving for the PG (or their paid order). */
  onPlaced: (order: Order) => void;
}

function Checkout({ items, cartLines, previews, buyNow, reorder, onPlaced }: CheckoutProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();
  const profile = useQuery(myProfileQuery);
  // A payment that did not go through brings the shopper back here: the address they typed is kept,
  // or, ordering an order again, that order's address.
  const [draft] = useState(readCheckoutDraft);
  const delivery = useFormFields<DeliveryFormValues>(
    reorder ? deliveryOfOrder(reorder) : (draft?.delivery ?? EMPTY_DELIVERY),
    validateDelivery,
  );
  const [couponId, setCouponId] = useState<number | null>(null);
  // The quote refused the coupon chosen and checkout took it off: the refusal, to say why.
  const [droppedCoupon, setDroppedCoupon] = useState<{ error: unknown; couponId: number } | null>(null);
  const chooseCoupon = (id: number | null) => {
    setDroppedCoupon(null);
    setCouponId(id);
  };
  const [points, setPoints] = useState(0);
  const [attemptKeys] = useState(createAttemptKeys);
  const [settlingOrderId, setSettlingOrderId] = useState<string | null>(null);
  const [cancelledOrder, setCancelledOrder] = useState<Order | null>(null);

  /** The price, the usable coupons and the points balance, read again (something freed or took them). */
  const askAgain = () => {
    void queryClient.invalidateQueries({ queryKey: ['orders', 'quote'] });
    void queryClient.invalidateQueries({ queryKey: myCouponsQueryPrefix });
    void queryClient.invalidateQueries({ queryKey: myPointsQueryPrefix });
  };
  // What became of the order this draft placed (or the one ordered again): looked up on arrival
  // (placing waits for the answer).
  const previousOrderId = reorder?.orderId ?? draft?.orderId ?? null;
  const [previousOrder, setPreviousOrder] = useState<'checking' | 'cancelled' | null>(
    previousOrderId ? 'checking' : null,
  );
  // The attempt whose payment did not go through still waits for payment, holding its coupon, points
  // and stock: it is let go (cancelled), so this checkout can use them again and nothing is paid twice.
  // One paid meanwhile (the shopper left the result page before it saw PAID) takes its lines out of
  // the cart instead: nothing here is to be paid again.
  const settlePrevious = useEffectEvent(async (orderId: string) => {
    // Never a cached answer: an order cached as unpaid may be paid by now.
    const read = () =>
      queryClient.fetchQuery({ ...myOrderQuery(orderId), staleTime: 0 }).catch(() => undefined);
    let order = await read();
    if (order?.status === 'PAYMENT_PENDING') {
      // Only if still unpaid: a payment approved since the read keeps its order (409, read again).
      order = await cancelMyOrder(orderId, { unpaidOnly: true }).catch(read);
      askAgain();
      void queryClient.invalidateQueries({ queryKey: myOrdersQueryPrefix });
    }
    if (order && completePaidCheckout(order, cartStore)) setPreviousOrder(null);
    else setPreviousOrder(order?.status === 'CANCELLED' ? 'cancelled' : null);
  });
  useEffect(() => {
    if (previousOrderId) void settlePrevious(previousOrderId);
  }, [previousOrderId]);

  const addressBook = useQuery(myAddressesQuery);
  const savedAddresses = addressBook.data ?? [];
  const chosenAddress = matchingAddress(delivery.values, savedAddresses);
  // Offered for an address the book does not hold yet; ticked when the book is empty.
  const [saveNewAddress, setSaveNewAddress] = useState<boolean | null>(null);
  const saveThisAddress =
    addressBook.isSuccess && !chosenAddress && (saveNewAddress ?? savedAddresses.length === 0);

  // Deliver to the default address, else to the account holder, unless they typed something already.
  const prefill = useEffectEvent(() => {
    // An address already there was typed, or kept from a payment that did not go through.
    if (delivery.values.address) return;
    const preferred = addressBook.data?.find((address) => address.isDefault);
    if (preferred) {
      delivery.reset(deliveryFromAddress(preferred, delivery.values.memo));
      return;
    }
    if (!profile.data) return;
    if (!delivery.values.receiverName) delivery.setValue('receiverName', profile.data.name);
    if (!delivery.values.receiverPhone && profile.data.phone)
      delivery.setValue('receiverPhone', profile.data.phone);
  });
  useEffect(() => {
    if (profile.data || addressBook.data) prefill();
  }, [profile.data, addressBook.data]);

  const quoteRequest = useMemo<QuoteRequest>(() => {
    const request: QuoteRequest = { items };
    if (couponId !== null) request.couponId = couponId;
    if (points > 0) request.pointsToUse = points;
    return request;
  }, [items, couponId, points]);
  const [debouncedQuoteRequest] = useDebouncedValue(quoteRequest, QUOTE_DEBOUNCE_MS);
  const quote = useQuery(quoteQuery(debouncedQuoteRequest));
  // The items alone, priced by the server (the same request as the first quote, so not sent twice):
  // names the lines when the quote with a coupon or points is refused, and its subtotal is what a
  // coupon's minimum order amount is measured against.
  const itemsOnly = useMemo<QuoteRequest>(() => ({ items }), [items]);
  const itemsQuote = useQuery(quoteQuery(itemsOnly));
  const subtotal = itemsQuote.isPlaceholderData ? undefined : itemsQuote.data?.subtotal;
  // The picker's coupons (shared with it): a refusal below the coupon's minimum names the amount.
  const coupons = useQuery(usableCouponsQuery);
  const couponOf = (id: number | null | undefined) => coupons.data?.find((coupon) => coupon.couponId === id);
  // A coupon refused by the quote is taken off (below), not left to block payment: the summary
  // words only the other refusals.
  const couponRefused =
    quote.isError &&
    isApiError(quote.error) &&
    quote.error.code === 'COUPON_UNAVAILABLE' &&
    typeof debouncedQuoteRequest.couponId === 'number';
  const quoteRefused =
    quote.isError && !couponRefused
      ? quoteRefusal(quote.error, { buyNow, coupon: couponOf(debouncedQuoteRequest.couponId) })
      : undefined;
  const dropRefusedCoupon = useEffectEvent((error: unknown, refusedId: number) => {
    if (couponId !== refusedId) return;
    setDroppedCoupon({ error, couponId: refusedId });
    setCouponId(null);
    // Its state may have changed (held by another order, used, expired): the picker reads it again.
    void queryClient.invalidateQueries({ queryKey: myCouponsQueryPrefix });
  });
  useEffect(() => {
    if (couponRefused && typeof debouncedQuoteRequest.couponId === 'number')
      dropRefusedCoupon(quote.error, debouncedQuoteRequest.couponId);
  }, [couponRefused, quote.error, debouncedQuoteRequest.couponId]);
  const droppedCouponWords = droppedCoupon
    ? quoteRefusal(droppedCoupon.error, { buyNow, coupon: couponOf(droppedCoupon.couponId) }).title
    : null;
  const quoteIsCurrent =
    debouncedQuoteRequest === quoteRequest && !quote.isPlaceholderData && !quote.isFetching;
  // The quote of the coupon chosen now left it out: it takes nothing off this order, and the order
  // will not use it up. Said rather than dropped silently (the summary has no coupon row then).
  const couponUnused =
    couponId !== null &&
    debouncedQuoteRequest.couponId === couponId &&
    !quote.isPlaceholderData &&
    !quote.isError &&
    quote.data?.couponId === null;

  const settling = useQuery({
    ...myOrderQuery(settlingOrderId ?? '', isSettling),
    enabled: settlingOrderId !== null,
  });

  function handleOutcome(order: Order) {
    switch (order.status) {
      case 'PENDING':
        // 202: the saga is still reserving; follow the order until it settles.
        setSettlingOrderId(order.orderId);
        return;
      case 'CANCELLED':
        attemptKeys.finish();
        setSettlingOrderId(null);
        setCancelledOrder(order);
        // Stock, coupons or points changed under us: ask again.
        askAgain();
        return;
      case 'PAYMENT_PENDING':
      case 'PAID': {
        attemptKeys.finish();
        setSettlingOrderId(null);
        void queryClient.invalidateQueries({ queryKey: myOrdersQueryPrefix });
        saveCheckoutDraft({
          delivery: delivery.values,
          orderId: order.orderId,
          buyNow: buyNow ? (items[0] ?? null) : null,
        });
        // Every tab's cart loses these units once the order is paid, wherever it is paid from.
        recordCartOrder(order.orderId, cartLinesTaken(items, cartLines));
        onPlaced(order);
        if (order.status === 'PAYMENT_PENDING' && order.payableAmount > 0) {
          window.location.assign(
            pgCheckoutUrl({
              orderId: order.orderId,
              orderNumber: order.orderNumber,
              amount: order.payableAmount,
              orderName: order.orderName,
            }),
          );
        } else {
          // Nothing to pay through the PG: discounts and points covered it all.
          completeCheckout(order.orderId, cartStore);
          notifications.show({ color: 'teal', message: t('checkout.placed', { number: order.orderNumber }) });
          void navigate(`/me/orders/${encodeURIComponent(order.orderId)}`, { replace: true });
        }
        return;
      }
    }
  }

  const onSettled = useEffectEvent(handleOutcome);
  useEffect(() => {
    if (settling.data && !isSettling(settling.data)) onSettled(settling.data);
  }, [settling.data]);

  const place = useMutation({
    mutationFn: async (request: PlaceOrderRequest) => {
      // Saved alongside the order, and awaited: the PG redirect that follows would cut it off.
      const saving = saveThisAddress
        ? saveAddress(addressFromDelivery(delivery.values)).then(
            () => queryClient.invalidateQueries({ queryKey: myAddressesQuery.queryKey }),
            () => undefined,
          )
        : undefined;
      const [order] = await Promise.all([placeOrder(request, attemptKeys.keyFor(request)), saving]);
      return order;
    },
    onMutate: () => setCancelledOrder(null),
    onSuccess: (order) => handleOutcome(order),
    onError: (error) => {
      for (const [field, message] of Object.entries(deliveryFieldErrors(serverFieldErrors(error)))) {
        if (field in delivery.values) delivery.setFieldError(field, message);
      }
    },
  });

  const busy = place.isPending || settlingOrderId !== null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!delivery.check() || busy) return;
    place.mutate({ ...quoteRequest, delivery: deliveryOf(delivery.values) });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('checkout.form')}>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            {previousOrder === 'cancelled' && <RetryNotice />}
            <CheckoutItems items={items} previews={previews} quote={quote.data ?? itemsQuote.data} />
            <DeliveryFields
              form={delivery}
              disabled={busy}
              above={
                <SavedAddressPicker
                  addresses={savedAddresses}
                  selected={chosenAddress}
                  disabled={busy}
                  onPick={(address) => delivery.reset(deliveryFromAddress(address, delivery.values.memo))}
                />
              }
              below={
                addressBook.isSuccess &&
                !chosenAddress && (
                  <SaveAddressCheckbox
                    checked={saveThisAddress}
                    disabled={busy}
                    onChange={setSaveNewAddress}
                  />
                )
              }
            />
            <DiscountFields
              couponId={couponId}
              onCouponChange={chooseCoupon}
              points={points}
              onPointsChange={setPoints}
              quote={quote.data}
              couponUnused={couponUnused}
              subtotal={subtotal}
              droppedCoupon={droppedCouponWords}
              disabled={busy}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card
            withBorder
            padding="lg"
            component="section"
            aria-labelledby="summary-title"
            pos="sticky"
            top={76}
          >
            <Stack>
              <Title id="summary-title" order={2} size="h4">
                {t('checkout.summary')}
              </Title>
              {quoteRefused && (
                <ApiErrorAlert
                  error={quote.error}
                  title={quoteRefused.title}
                  message={quoteRefused.message}
                  onRetry={() => void quote.refetch()}
                />
              )}
              {quote.data && !quote.isError ? (
                <div aria-busy={!quoteIsCurrent} style={{ opacity: quoteIsCurrent ? 1 : 0.6 }}>
                  <OrderAmounts amounts={quote.data} />
                </div>
              ) : (
                quote.isPending && (
                  <Text size="sm" c="dimmed">
                    <Loader size="xs" mr={6} />
                    {t('checkout.pricing')}
                  </Text>
                )
              )}
              <Text size="xs" c="dimmed">
                {t('checkout.confirmNote')}
              </Text>
              {cancelledOrder && <CancelledNotice order={cancelledOrder} />}
              {settlingOrderId !== null && (
                <Alert color="blue" variant="light" title={t('checkout.reserving')} role="status">
                  {t('checkout.reservingText')}{' '}
                  <Anchor component={Link} to={`/me/orders/${encodeURIComponent(settlingOrderId)}`}>
                    {t('common.viewOrder')}
                  </Anchor>
                </Alert>
              )}
              <ApiErrorAlert
                error={place.error}
                title={t('checkout.placeFailed')}
                message={itemsRefusalMessage(place.error, buyNow)}
              />
              <Button
                type="submit"
                size="md"
                fullWidth
                loading={busy}
                disabled={!quote.data || quote.isError || previousOrder === 'checking'}
              >
                {t('checkout.place')}
              </Button>
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </form>
  );
}

/** The form's values for an order's delivery, as the order keeps it. */
function deliveryOfOrder(order: Order): DeliveryFormValues {
  const { receiverName, receiverPhone, zipcode, address, addressDetail, memo } = order.delivery;
  return {
    receiverName,
    receiverPhone,
    zipcode,
    address,
    addressDetail: addressDetail ?? '',
    memo: memo ?? '',
  };
}

function RetryNotice() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" variant="light" role="status" data-testid="checkout-retry">
      {t('checkout.retryNotice')}
    </Alert>
  );
}

function CancelledNotice({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="red"
      variant="light"
      title={t('checkout.cancelledTitle', { number: order.orderNumber })}
      role="alert"
    >
      <Text size="sm">{cancelReasonLabel(order.cancelReason)}</Text>
      <Anchor component={Link} to={`/me/orders/${encodeURIComponent(order.orderId)}`} size="sm">
        {t('common.viewOrder')}
      </Anchor>
    </Alert>
  );
}

/** More different items than one order may hold (a cart merged at login can be): remove some first. */
function TooManyItems({ count }: { count: number }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" title={t('cart.tooManyLinesTitle')} role="alert">
      <Text size="sm">{t('cart.tooManyLines', { max: MAX_CART_LINES, count: count - MAX_CART_LINES })}</Text>
      <Anchor component={Link} to="/cart" size="sm">
        {t('nav.cart')}
      </Anchor>
    </Alert>
  );
}

function EmptyCheckout() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" py="xl" align="center">
      <Text c="dimmed">{t('checkout.empty')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('common.continueShopping')}
      </Button>
      <Anchor component={Link} to="/me/orders" size="sm">
        {t('common.myOrders')}
      </Anchor>
    </Stack>
  );
}

function LeavingForPayment({ order }: { order: Order }) {
  const toPg = order.status === 'PAYMENT_PENDING' && order.payableAmount > 0;
  const { t } = useTranslation();
  return (
    <Stack gap="sm" py="xl" align="center" role="status">
      <Loader />
      <Title order={1} size="h3">
        {toPg ? t('checkout.toPayment') : t('checkout.orderPlaced')}
      </Title>
      <Text c="dimmed">{t('checkout.orderNumber', { number: order.orderNumber })}</Text>
      <Anchor component={Link} to={`/me/orders/${encodeURIComponent(order.orderId)}`} size="sm">
        {t('common.viewOrder')}
      </Anchor>
    </Stack>
  );
}
