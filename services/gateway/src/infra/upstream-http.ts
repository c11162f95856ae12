import { Readable } from 'node:stream';
import { Agent, type Dispatcher, request } from 'undici';

/** One connection pool for every upstream (keep-alive, so most requests skip the TCP handshake). */
export const upstreamAgent = new Agent({
  keepAliveTimeout: 10_000,
  connections: 256,
  connect: { timeout: 2_000 },
});

/**
 * Why a call failed: `connect` (it never reached the upstream, so another instance may be tried),
 * `broken` (the connection died mid-call), `timeout` (no answer in time), `aborted` (the client left).
 */
export type UpstreamFailure = 'connect' | 'broken' | 'timeout' | 'aborted';

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly kind: UpstreamFailure,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const BROKEN_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export interface UpstreamRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Readable | Buffer | null;
  /** Time allowed until the response headers arrive; the body then streams without a deadline. */
  timeoutMs: number;
  /** Aborts the call when the client goes away. */
  clientGone?: AbortSignal;
}

/**
 * An upstream's answer as the proxy reads it: undici's, or one whose body the gateway already read
 * whole (answerWithBody).
 */
export interface UpstreamAnswer {
  statusCode: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Readable & { arrayBuffer(): Promise<ArrayBuffer>; dump(): Promise<void> };
}

/** The answer with its body, read whole to look into it, to be read or streamed again. */
export function answerWithBody(answer: UpstreamAnswer, bytes: Buffer): UpstreamAnswer {
  const stream = Readable.from([bytes]);
  const body = Object.assign(stream, {
    arrayBuffer: async () => new Uint8Array(bytes).buffer,
    dump: async () => void stream.destroy(),
  });
  return { statusCode: answer.statusCode, headers: answer.headers, body };
}

/**
 * Sends one request to one upstream instance; resolves once the response headers are in. One
 * AbortController serves the deadline and the client leaving (AbortSignal.any cost more per request
 * than the rest of the call's own work, docs/performance.md).
 */
export async function sendUpstream(call: UpstreamRequest): Promise<Dispatcher.ResponseData> {
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, call.timeoutMs);
  const clientGone = call.clientGone;
  // Left in place once the headers are in: a client leaving while the body streams still aborts it.
  const onClientGone = () => abort.abort();
  if (clientGone?.aborted) abort.abort();
  else clientGone?.addEventListener('abort', onClientGone, { once: true });
  try {
    return await request(call.url, {
      method: call.method as Dispatcher.HttpMethod,
      headers: call.headers,
      body: call.body,
      signal: abort.signal,
      dispatcher: upstreamAgent,
    });
  } catch (error) {
    if (clientGone?.aborted) throw new UpstreamError('aborted', 'the client went away');
    if (timedOut) throw new UpstreamError('timeout', `no answer within ${call.timeoutMs} ms`);
    const err = error as Error & { code?: string; cause?: { code?: string } };
    const code = err.code ?? err.cause?.code ?? err.name;
    if (CONNECT_CODES.has(code)) throw new UpstreamError('connect', code);
    if (BROKEN_CODES.has(code)) throw new UpstreamError('broken', code);
    // Anything else is a bug on this side (say, a header undici refuses): not the upstream's failure.
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
