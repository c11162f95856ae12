import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
}

type Match = (request: SeenRequest) => boolean;

interface Hold {
  match: Match;
  /** 'request': held before it reaches the service; 'response': the service handled it, its answer is held. */
  stage: 'request' | 'response';
  reached: () => void;
  gate: Promise<void>;
}

export interface HeldCall {
  /** Resolves once a matching request arrived (and, for a held response, was handled by the service). */
  reached: Promise<void>;
  release(): void;
}

/**
 * An HTTP proxy in front of a service (found through `upstream()` at each request, so it follows
 * restarts) that can hold one matching call: before forwarding it, or after, with the service's
 * answer kept back. A call forwarded while the service is down answers 502.
 */
export class HoldingProxy {
  readonly seen: SeenRequest[] = [];
  private holds: Hold[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly upstream: () => string | undefined,
  ) {}

  static start(upstream: () => string | undefined): Promise<HoldingProxy> {
    return new Promise((resolve) => {
      let proxy: HoldingProxy;
      const server = createServer((req, res) => {
        proxy.handle(req, res).catch(() => {
          if (!res.headersSent) res.writeHead(502).end();
        });
      });
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        proxy = new HoldingProxy(server, `http://127.0.0.1:${port}`, upstream);
        resolve(proxy);
      });
    });
  }

  /** Holds the next call that matches, at the given stage, until released. */
  hold(match: Match, stage: Hold['stage']): HeldCall {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((r) => {
      reached = r;
    });
    const gate = new Promise<void>((r) => {
      release = r;
    });
    this.holds.push({ match, stage, reached, gate });
    return { reached: reachedPromise, release };
  }

  count(match: Match): number {
    return this.seen.filter(match).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: parse(raw) };
    this.seen.push(seen);
    const index = this.holds.findIndex((h) => h.match(seen));
    const hold = index >= 0 ? this.holds.splice(index, 1)[0] : undefined;
    if (hold?.stage === 'request') {
      hold.reached();
      await hold.gate;
    }
    const target = this.upstream();
    let status = 502;
    let headers: Record<string, string> = {};
    let body: Buffer = Buffer.alloc(0);
    if (target) {
      try {
        const forwarded: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))
            forwarded[k] = v;
        }
        const answer = await fetch(`${target}${seen.path}`, {
          method: seen.method,
          headers: forwarded,
          ...(raw.length ? { body: raw } : {}),
        });
        status = answer.status;
        headers = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
        body = Buffer.from(await answer.arrayBuffer());
      } catch {
        status = 502;
      }
    }
    if (hold?.stage === 'response') {
      hold.reached();
      await hold.gate;
    }
    if (res.destroyed) return;
    res.writeHead(status, headers).end(body);
  }
}

function parse(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}
