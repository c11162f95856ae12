import { connect } from 'node:net';

export interface RawHttpAnswer {
  status: number;
  /** Header names in lowercase. */
  headers: Record<string, string>;
  body: string;
  /**
   * The server had closed the connection when the answer was taken: always read for an answer that
   * says Connection: close, or with `untilClosed`; otherwise the answer is taken once its body is in.
   */
  closed: boolean;
}

export interface RawHttpOptions {
  /** Read on after the answer until the server closes the connection, whatever the answer says. */
  untilClosed?: boolean;
  /** Rejects when the answer (and the close awaited) has not come by then; 15 s unless given. */
  timeoutMs?: number;
}

/**
 * Sends bytes to a server as they are (fetch and node:http refuse to send malformed requests) and
 * reads its one answer: until its body is in (and, when it says Connection: close or `untilClosed`
 * is given, the server has closed the connection), or the server closes the connection.
 */
export function rawHttpRequest(
  server: string | { url: string },
  bytes: string,
  options: RawHttpOptions = {},
): Promise<RawHttpAnswer> {
  const { hostname, port } = new URL(typeof server === 'string' ? server : server.url);
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    /** The server ended the connection (or reset it). */
    let ended = false;
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(bytes, 'latin1'));
    const timer = setTimeout(() => {
      const parsed = read();
      socket.destroy();
      reject(
        new Error(
          parsed?.complete
            ? `the server answered ${parsed.answer.status} to ${bytes.split('\r\n')[0]} but left the connection open for ${timeoutMs} ms`
            : `the server did not answer ${bytes.split('\r\n')[0]} within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    const settle = (answer: RawHttpAnswer) => {
      clearTimeout(timer);
      resolve(answer);
    };
    const read = () => {
      const received = Buffer.concat(chunks);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(statusLine.split(' ')[1]);
      const rest = received.subarray(end + 4);
      // A switch of protocols (101) ends the HTTP answer at its head; what follows is the new protocol's.
      const { body, complete } =
        status === 101 || status === 204 || status === 304
          ? { body: Buffer.alloc(0), complete: true }
          : headers['transfer-encoding'] === 'chunked'
            ? dechunk(rest)
            : { body: rest, complete: rest.length >= Number(headers['content-length'] ?? Number.NaN) };
      return {
        complete,
        answer: { status, headers, body: body.toString('utf8'), closed: socket.destroyed || ended },
      };
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = read();
      if (!parsed?.complete) return;
      // An answer that says Connection: close is read until the server closes (rejected if it does not).
      if (options.untilClosed || parsed.answer.headers.connection?.toLowerCase() === 'close') return;
      socket.destroy();
      settle(parsed.answer);
    });
    socket.on('end', () => {
      ended = true;
    });
    // A server that refuses a request before reading all of it may reset the connection after its answer.
    socket.on('error', (error) => {
      ended = true;
      const parsed = read();
      if (parsed) settle(parsed.answer);
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      ended = true;
      const parsed = read();
      if (parsed) settle(parsed.answer);
      else {
        clearTimeout(timer);
        reject(new Error(`the server closed the connection without an answer to ${bytes.split('\r\n')[0]}`));
      }
    });
  });
}

/** A chunked body's data, and whether its last chunk has arrived. */
function dechunk(encoded: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = encoded.indexOf('\r\n', at);
    if (lineEnd < 0) return { body: Buffer.concat(parts), complete: false };
    const size = Number.parseInt(encoded.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = lineEnd + 2;
    if (Number.isNaN(size) || encoded.length < start + size + 2)
      return { body: Buffer.concat(parts), complete: false };
    parts.push(encoded.subarray(start, start + size));
    at = start + size + 2;
  }
}
