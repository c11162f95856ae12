import { randomUUID } from 'node:crypto';
import { productImageUrl } from '@sagamart/contracts';
import { notFound, Problem, type ServiceContext, sql } from '@sagamart/kit';
import { UPLOADED_IMAGE_REFERENCE } from '../domain/html-sanitizer.ts';
import { detectImageType, IMAGE_TYPES, type ImageType } from '../domain/image-type.ts';
import type { ProductDb } from '../infra/schema.ts';
import { type ImageSettings, imageSettings } from './settings.ts';

export interface UploadedImage {
  id: string;
  url: string;
  contentType: ImageType;
  size: number;
  /**
   * True until a product saves it as one of its images; an upload nothing shows is cleaned up after
   * product.images.orphanTtlSeconds (Images.cleanup).
   */
  temporary: boolean;
}

/** Smaller than any real image header; rejects empty and truncated uploads early. */
const MIN_BYTES = 16;

/**
 * Product images, stored in the product database (bytea) so that the embedded platform needs no file
 * storage. An upload is temporary until a product saves it; the cleanup job deletes uploads and dropped
 * images after a grace period, unless a shopper can still see them (cleanup).
 */
export class Images {
  constructor(private readonly ctx: ServiceContext<ProductDb>) {}

  get settings(): ImageSettings {
    return imageSettings(this.ctx.config);
  }

  async upload(bytes: Buffer): Promise<UploadedImage> {
    const { maxBytes } = this.settings;
    if (bytes.length > maxBytes)
      throw new Problem(413, `Images are at most ${maxBytes} bytes; this one has ${bytes.length}`, {
        code: 'image-too-large',
      });
    if (bytes.length < MIN_BYTES)
      throw new Problem(400, `The upload has ${bytes.length} bytes: too small to be an image`, {
        code: 'image-too-small',
      });
    const contentType = detectImageType(bytes);
    if (!contentType) {
      throw new Problem(415, `Not a supported image: the content must be one of ${IMAGE_TYPES.join(', ')}`, {
        code: 'image-type',
      });
    }
    const id = randomUUID();
    await this.ctx.db
      .insertInto('images')
      .values({
        id,
        content_type: contentType,
        bytes,
        size: bytes.length,
        product_id: null,
        position: null,
        orphaned_at: new Date(),
      })
      .execute();
    return { id, url: productImageUrl(id), contentType, size: bytes.length, temporary: true };
  }

  async read(id: string): Promise<{ contentType: string; bytes: Buffer }> {
    const row = await this.ctx.db
      .selectFrom('images')
      .select(['content_type', 'bytes'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound(`Image ${id} does not exist`);
    return { contentType: row.content_type, bytes: row.bytes };
  }

  /**
   * Deletes images that are no product's own for longer than the grace period and that no shopper can
   * still see; returns how many. Kept, however long ago they were dropped: an image any product's
   * description shows (soft-deleted products included), and an image any product that has been ordered
   * ever had (a stock movement with an order id; orders keep their thumbnail's URL), because image URLs
   * are immutable and there is no other copy. So only uploads nothing used, and images of products never
   * ordered that nothing shows any more, go: storage stays bounded by what products and orders show.
   */
  async cleanup(): Promise<number> {
    const { orphanTtlSeconds } = this.settings;
    const db = this.ctx.db;
    const shownByDescriptions = db
      .selectFrom('products')
      .select(
        sql<string>`lower((regexp_matches(description, ${UPLOADED_IMAGE_REFERENCE}, 'g'))[1])`.as('id'),
      );
    const result = await db
      .deleteFrom('images')
      .where('product_id', 'is', null)
      .where('orphaned_at', '<', sql<Date>`now() - make_interval(secs => ${orphanTtlSeconds})`)
      .where(sql<boolean>`images.id::text not in (${shownByDescriptions})`)
      .where(({ exists, not, selectFrom }) =>
        not(
          exists(
            selectFrom('image_products as ip')
              .innerJoin('stock_movements as m', 'm.product_id', 'ip.product_id')
              .select('ip.image_id')
              .whereRef('ip.image_id', '=', 'images.id')
              .where('m.order_id', 'is not', null),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
