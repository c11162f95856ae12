import { randomUUID } from 'node:crypto';
import { productImageUrl } from '@sagamart/contracts';
import { notFound, Problem, type ServiceContext, sql } from '@sagamart/kit';
import { detectImageType, IMAGE_TYPES, type ImageType } from '../domain/image-type.ts';
import type { ProductDb } from '../infra/schema.ts';
import { type ImageSettings, imageSettings } from './settings.ts';

export interface UploadedImage {
  id: string;
  url: string;
  contentType: ImageType;
  size: number;
  /** True until a product saves it; temporary images are cleaned up after product.images.orphanTtlSeconds. */
  temporary: boolean;
}

/** Smaller than any real image header; rejects empty and truncated uploads early. */
const MIN_BYTES = 16;

/**
 * Product images, stored in the product database (bytea) so that the embedded platform needs no file
 * storage. An upload is temporary until a product save references it; the cleanup job deletes
 * temporary and dropped images after a grace period.
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

  /** Deletes images no product has referenced for longer than the grace period; returns how many. */
  async cleanup(): Promise<number> {
    const { orphanTtlSeconds } = this.settings;
    const result = await this.ctx.db
      .deleteFrom('images')
      .where('product_id', 'is', null)
      .where('orphaned_at', '<', sql<Date>`now() - make_interval(secs => ${orphanTtlSeconds})`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
