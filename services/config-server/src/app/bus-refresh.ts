import { Problem, type Transport } from '@sagamart/kit';

/** The channel every kit service listens on; each re-reads its config and applies refreshable keys. */
export const REFRESH_CHANNEL = 'config.refresh';

/** Spring Cloud Bus's busrefresh: tell every instance (or every instance of one service) to refresh. */
export async function broadcastRefresh(
  transport: Transport | undefined,
  destination: string | undefined,
): Promise<string> {
  if (!transport) {
    throw new Problem(
      503,
      'Refresh needs the event bus: start the config server with DATABASE_URL or AMQP_URL',
      {
        code: 'bus-unavailable',
      },
    );
  }
  await transport.broadcast(REFRESH_CHANNEL, destination ? { destination } : {});
  return destination ?? '*';
}
