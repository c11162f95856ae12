import { type Kysely, type RetentionTask, sql, type Transaction } from '@sagamart/kit';
import type { AggregateStep, HeldSteps } from '../domain/step-order.ts';
import type { NotificationDb } from './schema.ts';

type Trx = Transaction<NotificationDb>;

/**
 * The newest version of each order, claim and shipment whose notifying events were handled, and whether
 * it ended (migrations 0005 and 0007).
 */
export class NewestVersions {
  /**
   * Keeps the step's version if it is the newest of its order, claim or shipment, and answers the newest
   * held now, with whether the whole it is part of has ended. Both rows stay locked until commit (the
   * step's own first, then its whole's), so the events of one order, claim or shipment, and of a claim and
   * its parcel, take turns: an older step cannot read the rows before a newer one commits and then
   * notify after it.
   */
  async advance(trx: Trx, step: AggregateStep): Promise<HeldSteps> {
    const { version } = await trx
      .insertInto('newest_versions')
      .values({ aggregate: step.aggregate, aggregate_id: step.id, version: step.version, ended: step.ends })
      .onConflict((oc) =>
        oc.columns(['aggregate', 'aggregate_id']).doUpdateSet({
          version: sql<number>`greatest(newest_versions.version, excluded.version)`,
          ended: sql<boolean>`newest_versions.ended or excluded.ended`,
          advanced_at: sql<Date>`now()`,
        }),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    if (!step.partOf) return { newestVersion: version, wholeEnded: false };
    // The whole's row, made (at version 0) if none of its steps came yet, so its ending step waits for this one.
    const { ended } = await trx
      .insertInto('newest_versions')
      .values({ aggregate: step.partOf.aggregate, aggregate_id: step.partOf.id, version: 0, ended: false })
      .onConflict((oc) =>
        oc.columns(['aggregate', 'aggregate_id']).doUpdateSet({ advanced_at: sql<Date>`now()` }),
      )
      .returning('ended')
      .executeTakeFirstOrThrow();
    return { newestVersion: version, wholeEnded: ended };
  }
}

/**
 * Retention of newest_versions: a row only matters while an older step of its order, claim or shipment
 * may still come, which the platform bounds as it bounds redeliveries (retention.inboxSeconds: an inbox
 * row is kept no longer). A row no step advanced for `windowSeconds` (never less than that) is deleted;
 * a step that comes later still is handled as the first of its aggregate.
 */
export function newestVersionsRetention(
  db: Kysely<NotificationDb>,
  windowSeconds: () => number,
): RetentionTask {
  return {
    table: 'newest_versions',
    async prune(limit) {
      const cutoff = sql<Date>`now() - ${windowSeconds()} * interval '1 second'`;
      const result = await sql`
        delete from newest_versions where (aggregate, aggregate_id) in (
          select aggregate, aggregate_id from newest_versions
          where advanced_at < ${cutoff}
          order by advanced_at
          limit ${limit}
          for update skip locked
        )`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}
