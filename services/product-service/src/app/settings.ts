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
};

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
