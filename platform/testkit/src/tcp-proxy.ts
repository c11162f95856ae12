import type { AddressInfo } from 'node:net';
import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP proxy in front of a server (a database) that a test takes down and brings back. */
export interface TcpProxy {
  /** The server's URL with the proxy's host and port in it. */
  readonly url: string;
  /** Drops every connection through the proxy and every new one at once, as a server that went away. */
  down(): void;
  /** Lets new connections through again after `down()` or `blackhole({ newConnections: true })`. */
  up(): void;
  /**
   * Stops forwarding on every connection open now, in both directions, without closing either end:
   * a network that drops packets (a NAT or firewall that forgot the connection, a partition), so
   * neither end hears anything more, not even that it is gone. New connections go through as usual,
   * unless `newConnections`: then they are accepted and hear nothing either (a handshake that never
   * ends) until `up()`.
   */
  blackhole(options?: { newConnections?: boolean }): void;
  /**
   * Holds back what the server sends on every connection open now (kept, in order, not dropped) until
   * `release()`: a server that works but answers late (a broker whose publisher confirms are slow).
   * What the client sends still goes through.
   */
  hold(): void;
  /** Passes on what `hold()` kept, and forwards as before. */
  release(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 to the TCP host and port of `targetUrl` (e.g. a PostgreSQL URL). */
export async function tcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const open = new Set<Socket>();
  /** Each open connection's silencer: stops its forwarding for good. */
  const silencers = new Set<() => void>();
  /** Each open connection's hold on what its server sends, and its release. */
  const holders = new Set<{ hold(): void; release(): void }>();
  let cut = false;
  /** New connections are accepted and then hear nothing (blackhole({ newConnections: true })). */
  let swallowNew = false;
  const dropAll = () => {
    for (const socket of open) socket.destroy();
  };
  const server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    if (swallowNew) {
      open.add(client);
      client.on('error', () => {});
      client.on('close', () => open.delete(client));
      client.on('data', () => {});
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    const pair = [client, upstream];
    let silenced = false;
    /** What the server sent while held, in order; undefined while it flows. */
    let held: Buffer[] | undefined;
    const keep = (chunk: Buffer) => held?.push(chunk);
    const holder = {
      hold() {
        if (silenced || held) return;
        held = [];
        upstream.unpipe(client);
        upstream.on('data', keep).resume();
      },
      release() {
        const kept = held;
        if (!kept) return;
        held = undefined;
        upstream.off('data', keep);
        if (silenced) return;
        for (const chunk of kept) client.write(chunk);
        upstream.pipe(client);
      },
    };
    holders.add(holder);
    const silence = () => {
      silenced = true;
      held = undefined;
      upstream.off('data', keep);
      client.unpipe(upstream);
      upstream.unpipe(client);
      // Read and drop whatever still comes, as the network would, so that neither end is held back.
      for (const socket of pair) socket.on('data', () => {}).resume();
    };
    silencers.add(silence);
    for (const socket of pair) {
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        open.delete(socket);
        silencers.delete(silence);
        holders.delete(holder);
        // A black hole carries no FIN or RST either: the other end is left open.
        if (!silenced) for (const other of pair) other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  // A PostgreSQL URL may name a Unix socket directory (`?host=`, the embedded server's): not through here.
  url.searchParams.delete('host');
  return {
    url: url.toString(),
    down() {
      cut = true;
      dropAll();
    },
    up() {
      cut = false;
      swallowNew = false;
    },
    blackhole(options = {}) {
      for (const silence of silencers) silence();
      silencers.clear();
      if (options.newConnections) swallowNew = true;
    },
    hold() {
      for (const holder of holders) holder.hold();
    },
    release() {
      for (const holder of holders) holder.release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        cut = true;
        dropAll();
        server.close(() => resolve());
      }),
  };
}
