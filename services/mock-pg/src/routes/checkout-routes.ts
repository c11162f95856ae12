import { TEST_CARDS, type TestCard } from '@sagamart/contracts';
import type { ServiceApp, ServiceContext } from '@sagamart/kit';
import { pgModule } from '../app/module.ts';
import { parseCheckout, withParams } from '../domain/pg-payment.ts';
import type { MockPgDb } from '../infra/schema.ts';
import { checkoutPage, errorPage } from './checkout-page.ts';

const html = 'text/html; charset=utf-8';
const hidden = { hide: true };

/**
 * The hosted checkout page (the Toss payment window): the merchant's page sends the browser here;
 * submitting it creates a READY payment that remembers the card and redirects to successUrl with
 * paymentKey, orderNumber and amount, or, when cancelled, to failUrl with code and message.
 */
export function registerCheckoutRoutes(app: ServiceApp, ctx: ServiceContext<MockPgDb>): void {
  const { payments } = pgModule(ctx);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/checkout', { schema: hidden }, async (req, reply) => {
    const parsed = parseCheckout(req.query as Record<string, unknown>);
    reply.header('cache-control', 'no-store');
    if (!parsed.ok) return reply.status(400).type(html).send(errorPage(parsed.message));
    return reply.type(html).send(checkoutPage(parsed.request, TEST_CARDS));
  });

  app.post('/checkout', { schema: hidden }, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseCheckout(form);
    if (!parsed.ok) return reply.status(400).type(html).send(errorPage(parsed.message));
    const { request } = parsed;
    if (form.action === 'cancel') {
      return reply.redirect(
        withParams(request.failUrl, {
          code: 'PAY_PROCESS_CANCELED',
          message: '사용자가 결제를 취소했습니다.',
          orderNumber: request.orderNumber,
        }),
        303,
      );
    }
    const card = form.card as TestCard;
    if (!TEST_CARDS.includes(card)) return reply.status(400).type(html).send(errorPage('Choose a test card'));
    const payment = await payments.start({ ...request, card });
    return reply.redirect(
      withParams(request.successUrl, {
        paymentKey: payment.paymentKey,
        orderNumber: request.orderNumber,
        amount: String(request.amount),
      }),
      303,
    );
  });
}
