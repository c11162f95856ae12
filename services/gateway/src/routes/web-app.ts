import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ServiceApp } from '@sagamart/kit';
import type { FastifyReply, FastifyRequest } from 'fastify';

const IMMUTABLE = { maxAge: '365d', immutable: true };
const REVALIDATE = { cacheControl: false };
/** The meta tag apps/web reads the PG's port from (`payments/pg-checkout.ts`). */
const PG_PORT_META = 'sagamart:pg-port';

/** What the page learns from the gateway that serves it rather than from its build. */
export interface WebAppHints {
  /** The mock PG's port on the page's host (0: the app's own default, 9083). */
  pgPort: number;
}

/**
 * The built web app (`apps/web/dist`): its files, and `index.html` for any other page a browser asks
 * for (client-side routing). The build names assets by content hash, so they are cached for good.
 */
export class WebApp {
  /** index.html with the hints written in, kept while the file is unchanged. */
  private page: { mtimeMs: number; size: number; html: string } | undefined;

  private constructor(
    private readonly root: string,
    private readonly hints: WebAppHints,
  ) {}

  /** The web app at `root`, if it has been built there. */
  static async find(root: string, hints: WebAppHints = { pgPort: 0 }): Promise<WebApp | undefined> {
    if (!Number.isInteger(hints.pgPort) || hints.pgPort < 0 || hints.pgPort > 65_535)
      throw new Error(`gateway.webHints.pgPort is not a port number: ${hints.pgPort}`);
    const index = await stat(join(root, 'index.html')).catch(() => undefined);
    return index?.isFile() ? new WebApp(resolve(root), hints) : undefined;
  }

  async register(app: ServiceApp): Promise<void> {
    // Files are looked up per request (no routes), so a rebuild is served without a restart.
    await app.register(fastifyStatic, { root: this.root, serve: false });
  }

  /** Answers a GET or HEAD for `path` (without query) if the web app can; false leaves it to the caller. */
  async serve(req: FastifyRequest, reply: FastifyReply, path: string): Promise<boolean> {
    const file = await this.fileFor(path);
    if (file === 'index.html' || (!file && path === '/')) return this.sendPage(reply);
    if (file) {
      const cache = file.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
      if (!file.startsWith('assets/')) reply.header('cache-control', 'no-cache');
      reply.sendFile(file, cache);
      return true;
    }
    // `/` is the app itself; other unknown paths are app pages only when a browser navigates there.
    if (!String(req.headers.accept ?? '').includes('text/html')) return false;
    return this.sendPage(reply);
  }

  /** index.html, with a meta tag per hint when there are hints (a port offset, say). */
  private async sendPage(reply: FastifyReply): Promise<true> {
    reply.header('cache-control', 'no-cache');
    if (!this.hints.pgPort) {
      reply.sendFile('index.html', REVALIDATE);
      return true;
    }
    const file = join(this.root, 'index.html');
    const found = await stat(file);
    if (this.page?.mtimeMs !== found.mtimeMs || this.page.size !== found.size) {
      const meta = `<meta name="${PG_PORT_META}" content="${this.hints.pgPort}">`;
      const html = await readFile(file, 'utf8');
      this.page = {
        mtimeMs: found.mtimeMs,
        size: found.size,
        html: html.includes('</head>') ? html.replace('</head>', `${meta}</head>`) : meta + html,
      };
    }
    reply.type('text/html; charset=utf-8').send(this.page.html);
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
