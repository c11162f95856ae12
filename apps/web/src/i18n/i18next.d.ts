import 'i18next';
import type { ko } from './ko.ts';

// Korean is the source of truth: `t('cart.title')` is type-checked against its keys.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ko };
    returnNull: false;
  }
}
