import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { decryptText, encryptorFor, encryptText } from '../app/encryption.ts';

const PlainBody = Type.String({ minLength: 1, description: 'The text, sent as text/plain' });

export function registerEncryptionRoutes(app: ServiceApp, ctx: ServiceContext) {
  // `curl -d secret …` sends form encoding; take the raw text as Spring does (a lone `key=` loses its `=`).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    done(null, text.endsWith('=') ? decodeURIComponent(text.slice(0, -1).replaceAll('+', ' ')) : text);
  });

  const tags = ['encryption'];
  const encryptor = () => encryptorFor(ctx.config.optionalString('encrypt.key'));

  app.post(
    '/encrypt',
    {
      schema: {
        tags,
        summary: "Encrypt a value; put it in YAML as '{cipher}<result>'",
        body: PlainBody,
        response: { 200: Type.String(), 400: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (req, reply) => reply.type('text/plain').send(encryptText(await encryptor(), req.body)),
  );

  app.post(
    '/decrypt',
    {
      schema: {
        tags,
        summary: 'Decrypt a value produced by /encrypt',
        body: PlainBody,
        response: { 200: Type.String(), 400: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (req, reply) => reply.type('text/plain').send(decryptText(await encryptor(), req.body)),
  );
}
