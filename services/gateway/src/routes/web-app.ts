import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ServiceApp } from '@sagamart/kit';
import type { FastifyReply, FastifyRequest } from 'fastify';

const IMMUTABLE = { maxAge: '365d', immutable: true };
const REVALIDATE = { cacheControl: false };

/**
 * The built web app (`apps/web/dist`): its files, and `index.html` for any other page a browser asks
 * for (client-side routing). The build names assets by content hash, so they are cached for good.
 */
export class WebApp {
  private constructor(private readonly root: string) {}

  /** The web app at `root`, if it has been built there. */
  static async find(root: string): Promise<WebApp | undefined> {
    const index = await stat(join(root, 'index.html')).catch(() => undefined);
    return index?.isFile() ? new WebApp(resolve(root)) : undefined;
  }

  async register(app: ServiceApp): Promise<void> {
    // Files are looked up per request (no routes), so a rebuild is served without a restart.
    await app.register(fastifyStatic, { root: this.root, serve: false });
  }

  /** Answers a GET or HEAD for `path` (without query) if the web app can; false leaves it to the caller. */
  async serve(req: FastifyRequest, reply: FastifyReply, path: string): Promise<boolean> {
    const file = await this.fileFor(path);
    if (file) {
      const cache = file.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
      if (!file.startsWith('assets/')) reply.header('cache-control', 'no-cache');
      reply.sendFile(file, cache);
      return true;
    }
    // `/` is the app itself; other unknown paths are app pages only when a browser navigates there.
    if (path !== '/' && !String(req.headers.accept ?? '').includes('text/html')) return false;
    reply.header('cache-control', 'no-cache');
    reply.sendFile('index.html', REVALIDATE);
    return true;
  }

  /** The file below the root that `path` names, relative to the root. */
  private async fileFor(path: string): Promise<string | undefined> {
    let relative: string;
    try {
      relative = decodeURIComponent(path).replace(/^\/+/, '');
    } catch {
      return undefined;
    }
    if (relative === '') return undefined;
    const absolute = resolve(this.root, relative);
    if (!absolute.startsWith(this.root + sep)) return undefined;
    const found = await stat(absolute).catch(() => undefined);
    return found?.isFile()
      ? absolute
          .slice(this.root.length + 1)
          .split(sep)
          .join('/')
      : undefined;
  }
}
