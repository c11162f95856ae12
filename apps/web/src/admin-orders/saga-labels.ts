import { i18n } from '../i18n/i18n.ts';
import { ko } from '../i18n/ko.ts';
import { isKnown } from '../i18n/labels.ts';
import type { SagaStep } from './admin-orders-api.ts';

/** The participant call a saga makes next (`reserve stock`, 재고 예약); an action the web does not know gets a generic word. */
export function sagaCallLabel(call: { kind: string; step: SagaStep }): string {
  const action = isKnown(ko.adminOrders.saga.action, call.kind)
    ? i18n.t(`adminOrders.saga.action.${call.kind}`)
    : i18n.t('adminOrders.saga.action.other');
  return i18n.t('adminOrders.saga.call', { action, step: i18n.t(`adminOrders.saga.step.${call.step}`) });
}
