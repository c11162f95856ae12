/** Bundled defaults; config/chat-service.yml mirrors them. */
export const chatDefaults = {
  chat: {
    assignment: {
      /** Automatic assignment gives an agent at most this many OPEN conversations (manual ignores it). */
      maxOpenPerAgent: 5,
      /** Waiting conversations are also offered to online agents this often (a missed trigger waits no longer). */
      sweepMs: 5_000,
      /**
       * An OPEN conversation whose agent has been offline (presence lease ended) or not allowed to
       * answer this long goes back to the queue (a reload or a short network drop keeps it).
       */
      releaseOfflineAfterMs: 60_000,
    },
    /** Messages per user: `messages` within `perSeconds` (a token bucket; in Redis when redis.url is set). */
    rateLimit: { messages: 10, perSeconds: 10, keyPrefix: 'sagamart:chat:rate:' },
    presence: {
      /** An instance renews its agents this often; an agent counts as online until the lease ends. */
      heartbeatMs: 5_000,
      leaseMs: 15_000,
      /** Redis key prefix (with redis.url). */
      keyPrefix: 'sagamart:chat:presence:',
    },
    queue: {
      /** The average handling time assumed until resolved conversations say otherwise (for wait estimates). */
      defaultHandleSeconds: 300,
    },
    socket: {
      pingMs: 25_000,
      /** Bytes queued for one client beyond which it is disconnected (4008) and must resume. */
      maxBufferedBytes: 1_048_576,
      /** Messages read from the database per query while replaying. */
      replayBatch: 200,
      /** Every socket's conversations are checked for missed messages this often (fan-out is fire-and-forget). */
      sweepMs: 5_000,
    },
  },
};
