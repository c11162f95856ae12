/**
 * Chat bench, on the embedded default (embedded PostgreSQL; fan-out over its NOTIFY broadcast):
 * BENCH_CONVERSATIONS (200) conversations, every customer's socket on chat-service instance A and
 * every agent's on instance B (BENCH_CONVERSATIONS / 5 agents at the default cap of 5), so every
 * message crosses instances through the chat-message fan-out. Each conversation plays
 * BENCH_ROUNDS (10) question-and-answer rounds as fast as they come back.
 *
 * Prints messages/s (every message stored, fanned out and received) and the delivery latency p50/p99
 * from the sender's send to the other side's receipt. Sockets connect straight to each instance
 * (with the service token the gateway would add), so which side is on which instance is fixed; the
 * per-user rate limit is raised so it is not what is measured.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import { startEmbeddedPostgres } from '@sagamart/launcher/embedded-postgres';
import WebSocket from 'ws';
import { type Child, freePort, json, quantile, signedIn, startService, stopService } from './support.ts';

const log = (line: string) => console.log(`  ${line}`);

interface Side {
  userId: string;
  headers: Record<string, string>;
  socket: WebSocket;
}

function connect(url: string, headers: Record<string, string>, onFrame: (frame: ChatServerFrame) => void) {
  return new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/chat`, {
      headers,
      perMessageDeflate: false,
    });
    socket.once('error', reject);
    socket.once('open', () => resolve(socket));
    socket.on('message', (data) => onFrame(JSON.parse(data.toString()) as ChatServerFrame));
  });
}

export async function runChatBench(): Promise<void> {
  const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 200);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
  const cap = 5;
  const agentCount = Math.ceil(conversations / cap);
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-bench-chat-'));
  const embedded = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
  const serverUrl = embedded.url;
  const children: Child[] = [];
  const sockets: WebSocket[] = [];
  const config = {
    config: { server: { url: '' } },
    server: { host: '127.0.0.1', port: 0 },
    database: { url: serverUrl, name: 'bench_chat' },
    bus: { database: 'bench_bus' },
    discovery: { mode: 'static' },
    log: { level: 'warn' },
    chat: {
      assignment: { maxOpenPerAgent: cap, sweepMs: 1_000 },
      rateLimit: { messages: 100_000, perSeconds: 1 },
      presence: { heartbeatMs: 1_000 },
    },
  };
  try {
    // One after the other: both migrate the same database.
    const a = await startService('chat-service', config);
    children.push(a);
    const b = await startService('chat-service', config);
    children.push(b);

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const answered = new Map<string, number>();
    const assigned = new Set<string>();
    let finished = 0;
    let done: () => void = () => {};
    const allDone = new Promise<void>((resolve) => {
      done = resolve;
    });
    const byConversation = new Map<string, Side>();
    const send = (side: Side, conversationId: string, text: string) => {
      const clientMessageId = randomUUID();
      sentAt.set(clientMessageId, performance.now());
      side.socket.send(JSON.stringify({ type: 'message', conversationId, clientMessageId, text }));
    };
    const received = (frame: Extract<ChatServerFrame, { type: 'message' }>) => {
      const at = sentAt.get(frame.clientMessageId);
      if (at === undefined) return false;
      sentAt.delete(frame.clientMessageId);
      latencies.push(performance.now() - at);
      return true;
    };

    log(`opening ${conversations} conversations (customers on instance A)…`);
    const customers: Side[] = [];
    for (let i = 0; i < conversations; i += 50) {
      const batch = Array.from({ length: Math.min(50, conversations - i) }, async () => {
        const userId = randomUUID();
        const headers = signedIn(userId, 'USER', `${userId}@bench.test`);
        const opened = await json<{ id: string }>(`${a.url}/api/chat/conversations`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{}',
        });
        const side: Side = { userId, headers, socket: undefined as unknown as WebSocket };
        side.socket = await connect(a.url, headers, (frame) => {
          if (frame.type === 'assigned') assigned.add(frame.conversationId);
          if (frame.type !== 'message' || frame.senderRole !== 'AGENT' || !received(frame)) return;
          const n = (answered.get(frame.conversationId) ?? 0) + 1;
          answered.set(frame.conversationId, n);
          if (n < rounds) send(side, frame.conversationId, `질문 ${n + 1}`);
          else if (++finished === conversations) done();
        });
        sockets.push(side.socket);
        byConversation.set(opened.id, side);
        return side;
      });
      customers.push(...(await Promise.all(batch)));
    }

    log(`${agentCount} agents online on instance B…`);
    for (let i = 0; i < agentCount; i++) {
      const userId = randomUUID();
      const headers = signedIn(userId, 'AGENT', `agent-${i}@bench.test`);
      const agent: Side = { userId, headers, socket: undefined as unknown as WebSocket };
      agent.socket = await connect(b.url, headers, (frame) => {
        if (frame.type === 'message' && frame.senderRole === 'CUSTOMER' && received(frame))
          send(agent, frame.conversationId, '답변드립니다');
      });
      sockets.push(agent.socket);
    }
    const deadline = Date.now() + 60_000;
    while (assigned.size < conversations && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    log(`${assigned.size}/${conversations} conversations assigned`);

    const total = conversations * rounds * 2;
    log(`${rounds} rounds per conversation: ${total} messages, each crossing instances…`);
    const started = performance.now();
    for (const [conversationId, side] of byConversation) send(side, conversationId, '질문 1');
    await Promise.race([allDone, new Promise((r) => setTimeout(r, 120_000))]);
    const seconds = (performance.now() - started) / 1000;
    const sorted = Float64Array.from(latencies).sort();
    log(
      `${latencies.length}/${total} messages delivered in ${seconds.toFixed(1)} s: ${(latencies.length / seconds).toFixed(0)} messages/s`,
    );
    log(
      `delivery (send → the other side's socket, across instances): p50 ${quantile(sorted, 0.5).toFixed(0)} ms, ` +
        `p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
    );
  } finally {
    for (const socket of sockets) socket.terminate();
    for (const child of children.reverse()) await stopService(child);
    await embedded.stop();
  }
}
