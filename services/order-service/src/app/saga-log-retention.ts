import { type RetentionTask, type ServiceContext, sql } from '@sagamart/kit';
import { FINAL_PHASES } from '../domain/saga.ts';
import type { OrderDb } from '../infra/schema.ts';

/**
 * The step log only explains how a saga went (admin order detail); nothing decides from it. Once a
 * saga has been finished for `orders.retention.sagaLogSeconds`, its log goes; the order, its
 * timeline and the saga's final state stay. A saga that is not finished keeps its log however old.
 */
export function sagaLogRetention(ctx: ServiceContext<OrderDb>): RetentionTask {
  return {
    table: 'saga_log',
    async prune(limit) {
      const cutoff = sql<Date>`now() - ${ctx.config.number('orders.retention.sagaLogSeconds')} * interval '1 second'`;
      const result = await sql`
        delete from saga_log where id in (
          select l.id from saga_log l
          where l.at < ${cutoff}
            and exists (
              select 1 from sagas s
              where s.order_id = l.order_id and s.phase in (${sql.join(FINAL_PHASES)}) and s.phase_since < ${cutoff}
            )
          order by l.at
          limit ${limit}
          for update of l skip locked
        )`.execute(ctx.db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}
