// The mock PG's hosted checkout (Toss-like): the browser goes there to pay and comes back to
// /payment/success (paymentKey, orderNumber, amount) or /payment/fail (code, message, orderNumber).
// The gateway does not route the PG: it lives on its own origin, port 9083 by default.

const DEFAULT_PG_PORT = 9083;

/** The PG's port as the gateway that served this page says (`npm start -- --port-offset N`). */
function hintedPgPort(doc: Pick<Document, 'querySelector'> | undefined): number | undefined {
  const content = doc?.querySelector<HTMLMetaElement>('meta[name="sagamart:pg-port"]')?.content;
  const port = Number(content);
  return content && Number.isInteger(port) && port > 0 && port <= 65_535 ? port : undefined;
}

/**
 * Where the PG is: `VITE_PG_URL` when the build was given one, else on this host at the port the
 * gateway's page names, else at 9083.
 */
export function pgBaseUrl(
  location: Pick<Location, 'protocol' | 'hostname'> = window.location,
  doc: Pick<Document, 'querySelector'> | undefined = globalThis.document,
): string {
  const configured = import.meta.env.VITE_PG_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return `${location.protocol}//${location.hostname}:${hintedPgPort(doc) ?? DEFAULT_PG_PORT}`;
}

export interface PgCheckoutOrder {
  orderId: string;
  orderNumber: string;
  /** What the shopper pays through the PG (the server's payable amount). */
  amount: number;
  /** A short label for the payment window, e.g. "티셔츠 외 2건". */
  orderName: string;
}

/** Where the PG sends the browser back to: the order result pages unless told otherwise. */
export interface PgReturnPages {
  success: string;
  fail: string;
}

const ORDER_RESULT_PAGES: PgReturnPages = { success: '/payment/success', fail: '/payment/fail' };

/** The PG checkout URL for an order (or a points charge), returning to this app's result pages. */
export function pgCheckoutUrl(
  order: PgCheckoutOrder,
  origin: string = window.location.origin,
  pages: PgReturnPages = ORDER_RESULT_PAGES,
): string {
  // Our own orderId rides along so the result pages can link to the order.
  const back = (path: string) => `${origin}${path}?${new URLSearchParams({ orderId: order.orderId })}`;
  const params = new URLSearchParams({
    orderNumber: order.orderNumber,
    amount: String(order.amount),
    orderName: order.orderName.slice(0, 100) || order.orderNumber,
    successUrl: back(pages.success),
    failUrl: back(pages.fail),
  });
  return `${pgBaseUrl()}/checkout?${params}`;
}
