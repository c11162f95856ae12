import { DEFAULT_LOW_STOCK_THRESHOLD } from '@sagamart/contracts';
import type { Config } from '@sagamart/kit';

/** Bundled defaults (config/product-service.yml mirrors them). */
export const productDefaults = {
  product: {
    images: {
      /** Largest upload accepted, in bytes. */
      maxBytes: 5 * 1024 * 1024,
      /**
       * An unused upload (or an image a product dropped) is deleted after this long, unless a description
       * shows it or a product that has been ordered had it (Images.cleanup).
       */
      orphanTtlSeconds: 3_600,
      cleanupIntervalSeconds: 300,
    },
    seed: {
      /** Load the demo categories and products on first start (once; a marker row remembers it). */
      enabled: true,
    },
  },
  /**
   * Shared with notification-service (config/application.yml): a SKU on sale with this many units or
   * fewer is low on stock, on the dashboard's card and in the admin product list's `stock=low`.
   */
  dashboard: { lowStockThreshold: DEFAULT_LOW_STOCK_THRESHOLD },
};

/** The units at or below which a SKU on sale is low on stock (the dashboard's threshold). */
export function lowStockThreshold(config: Config): number {
  return config.number('dashboard.lowStockThreshold');
}

export interface ImageSettings {
  maxBytes: number;
  orphanTtlSeconds: number;
  cleanupIntervalSeconds: number;
}

export function imageSettings(config: Config): ImageSettings {
  return {
    maxBytes: config.number('product.images.maxBytes'),
    orphanTtlSeconds: config.number('product.images.orphanTtlSeconds'),
    cleanupIntervalSeconds: config.number('product.images.cleanupIntervalSeconds'),
  };
}
