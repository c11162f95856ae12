import { type Kysely, Problem } from '@sagamart/kit';
import type { Executor } from '../infra/product-reads.ts';
import type { ProductDb } from '../infra/schema.ts';

/**
 * Makes `imageIds` (uploadedImageIds of the description being saved) the images the product's
 * description shows, inside the save's transaction. A description showing an image that does not exist
 * (never uploaded, or already cleaned up) is refused with a 400 `unknown-image`.
 *
 * The images it shows are locked (shared) and stop being cleanup candidates (orphaned_at cleared; the
 * row update also makes a cleanup pass that read one before this save re-check it and keep it). The
 * images it stopped showing that are no product's own get the grace period again (orphaned_at now):
 * pages read a moment ago may still show them. Called with [] before a product is removed.
 */
export async function showInDescription(
  db: Executor | Kysely<ProductDb>,
  productId: number,
  imageIds: readonly string[],
): Promise<void> {
  const trx = db as Kysely<ProductDb>;
  const shown = [...new Set(imageIds)];
  if (shown.length) {
    const found = await trx.selectFrom('images').select('id').where('id', 'in', shown).forShare().execute();
    const missing = shown.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) {
      throw new Problem(
        400,
        `The description shows images that do not exist (any more): ${missing.join(', ')}; upload them again`,
        {
          code: 'unknown-image',
          errors: [{ field: 'description', message: `unknown images: ${missing.join(', ')}` }],
        },
      );
    }
    await trx
      .updateTable('images')
      .set({ orphaned_at: null })
      .where('id', 'in', shown)
      .where('product_id', 'is', null)
      .where('orphaned_at', 'is not', null)
      .execute();
  }
  let stale = trx.deleteFrom('description_images').where('product_id', '=', productId);
  if (shown.length) stale = stale.where('image_id', 'not in', shown);
  const dropped = (await stale.returning('image_id').execute()).map((r) => r.image_id);
  if (shown.length) {
    await trx
      .insertInto('description_images')
      .values(shown.map((image_id) => ({ product_id: productId, image_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (dropped.length) {
    await trx
      .updateTable('images')
      .set({ orphaned_at: new Date() })
      .where('id', 'in', dropped)
      .where('product_id', 'is', null)
      .execute();
  }
}
