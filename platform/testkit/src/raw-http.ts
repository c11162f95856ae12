import { connect } from 'node:net';

export interface RawHttpAnswer {
  status: number;
  /** Header names in lowercase. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes to a server as they are (fetch and node:http refuse to send malformed requests) and
 * reads its one answer: until its body is in (and, when it says Connection: close, the server has
 * closed the connection), or the server closes the connection.
 */
export function rawHttpRequest(server: string | { url: string }, bytes: string): Promise<RawHttpAnswer> {
  const { hostname, port } = new URL(typeof server === 'string' ? server : server.url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(bytes, 'latin1'));
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
        answer: { status, headers, body: body.toString('utf8') },
      };
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = read();
      if (!parsed?.complete) return;
      // An answer that says Connection: close is read until the server closes (a test times out if it does not).
      if (parsed.answer.headers.connection?.toLowerCase() === 'close') return;
      socket.destroy();
      resolve(parsed.answer);
    });
    // A server that refuses a request before reading all of it may reset the connection after its answer.
    socket.on('error', (error) => {
      const parsed = read();
      if (parsed) resolve(parsed.answer);
      else reject(error);
    });
    socket.on('close', () => {
      const parsed = read();
      if (parsed) resolve(parsed.answer);
      else
        reject(new Error(`the server closed the connection without an answer to ${bytes.split('\r\n')[0]}`));
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
