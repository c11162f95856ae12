import { PRODUCT_IMAGE_PATH } from '@sagamart/contracts';
import { Problem, ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { productModule } from '../app/module.ts';
import type { ProductDb } from '../infra/schema.ts';
import { adminOnly, ImageParams, tags, UploadedImage } from './schemas.ts';

/**
 * Uploads take the raw image as the request body (`Content-Type: image/*` or
 * `application/octet-stream`): no multipart library is needed, the body limit applies before anything
 * is buffered in full, and the type is decided by the bytes, never by the declared content type.
 */
export function registerImageRoutes(app: ServiceApp, ctx: ServiceContext<ProductDb>): void {
  const { images } = productModule(ctx);
  const { maxBytes } = images.settings;
  const raw = (_req: unknown, body: Buffer, done: (error: Error | null, body?: Buffer) => void) =>
    done(null, body);
  app.addContentTypeParser(/^image\/[a-z0-9.+-]+$/i, { parseAs: 'buffer', bodyLimit: maxBytes }, raw);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: maxBytes }, raw);

  app.post(
    '/api/admin/products/images',
    {
      // The media type is checked before the body is read (and before any body guard looks at it).
      onRequest: [adminOnly, requireImageBody],
      bodyLimit: maxBytes,
      schema: {
        tags: tags.images,
        summary: `Upload an image (raw body; jpeg, png, gif or webp by magic bytes; at most product.images.maxBytes). It stays temporary until a product saves it.`,
        response: { 201: UploadedImage, 400: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) throw imageBodyProblem();
      return reply.status(201).send(await images.upload(req.body));
    },
  );

  app.post(
    '/api/admin/products/images/cleanup',
    {
      onRequest: adminOnly,
      schema: {
        tags: tags.images,
        summary:
          "Delete images that have been no product's own for product.images.orphanTtlSeconds, except those a product description shows or a product that has been ordered ever had (the job does this periodically)",
        response: { 200: Type.Object({ deleted: Type.Integer() }) },
      },
    },
    async () => ({ deleted: await images.cleanup() }),
  );

  app.get(
    `${PRODUCT_IMAGE_PATH}/:id`,
    {
      schema: {
        tags: tags.images,
        summary: 'An image, publicly (immutable: a changed picture is a new upload with a new id)',
        params: ImageParams,
      },
    },
    async (req, reply) => {
      const etag = `"${req.params.id}"`;
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag);
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      const image = await images.read(req.params.id);
      return reply.type(image.contentType).header('x-content-type-options', 'nosniff').send(image.bytes);
    },
  );
}

const IMAGE_BODY_TYPE = /^(image\/[a-z0-9.+-]+|application\/octet-stream)\s*(;|$)/i;

const imageBodyProblem = () =>
  new Problem(415, 'Send the image as the raw body with Content-Type image/* or application/octet-stream', {
    code: 'image-body',
  });

async function requireImageBody(req: { headers: Record<string, string | string[] | undefined> }) {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !IMAGE_BODY_TYPE.test(type)) throw imageBodyProblem();
}
