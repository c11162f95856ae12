import { randomUUID } from 'node:crypto';
import { productImageUrl } from '@sagamart/contracts';
import { notFound, Problem, type RawBuilder, type ServiceContext, sql } from '@sagamart/kit';
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
   * One cleanup pass: deletes images that are no product's own for longer than the grace period and
   * that no shopper can still see; returns how many. Kept, however long ago they were dropped: an image
   * any product's description shows (soft-deleted products included), and an image any product that has
   * been ordered ever had (a stock movement with an order id; orders keep their thumbnail's URL), because
   * image URLs are immutable and there is no other copy. So only uploads nothing used, and images of
   * products never ordered that nothing shows any more, go: storage stays bounded by what products and
   * orders show. A kept image stops being a candidate (orphaned_at cleared) until it is dropped again.
   */
  async cleanup(): Promise<number> {
    const pass = cleanupPass(this.settings.orphanTtlSeconds);
    for (const keep of pass.keep) await keep.execute(this.ctx.db);
    const result = await pass.purge.execute(this.ctx.db);
    return Number(result.numAffectedRows ?? 0);
  }
}

/**
 * The statements of a cleanup pass (Images.cleanup), in order; a test reads their plans. Each joins the
 * candidates (images_orphaned) with what keeps them, description_images standing for the descriptions:
 * no description is read and nothing is evaluated per row, so a pass costs what its candidates do, and
 * kept ones leave the candidates. Candidates a product save holds are skipped (SKIP LOCKED), not waited
 * for: the save clears or restarts their grace (showInDescription) and a later pass decides.
 */
export function cleanupPass(orphanTtlSeconds: number): {
  keep: RawBuilder<unknown>[];
  purge: RawBuilder<unknown>;
} {
  const due = sql`i.product_id is null and i.orphaned_at < now() - make_interval(secs => ${orphanTtlSeconds})`;
  const shownByDescription = sql`exists (select 1 from description_images d where d.image_id = i.id)`;
  const hadByOrderedProduct = sql`exists (select 1 from image_products ip
    join stock_movements m on m.product_id = ip.product_id
    where ip.image_id = i.id and m.order_id is not null)`;
  // One statement per reason to keep: EXISTS joined with OR would be evaluated per row.
  const keep = [shownByDescription, hadByOrderedProduct].map(
    (kept) => sql`update images set orphaned_at = null where id in (
      select i.id from images i where ${due} and ${kept} for update skip locked)`,
  );
  const purge = sql`delete from images where id in (
    select i.id from images i where ${due} and not ${shownByDescription} and not ${hadByOrderedProduct}
    for update skip locked)`;
  return { keep, purge };
}
