import { sql, type Transaction } from '@sagamart/kit';
import type { AggregateStep } from '../domain/step-order.ts';
import type { NotificationDb } from './schema.ts';

type Trx = Transaction<NotificationDb>;

/** The newest version of each order, claim and shipment whose notifying events were handled (migration 0005). */
export class NewestVersions {
  /**
   * Keeps the step's version if it is the newest of its order, claim or shipment, and answers the newest
   * held now. The row stays locked until commit, so the events of one order, claim or shipment take turns:
   * an older step cannot read the row before a newer one commits and then notify after it.
   */
  async advance(trx: Trx, step: AggregateStep): Promise<number> {
    const { version } = await trx
      .insertInto('newest_versions')
      .values({ aggregate: step.aggregate, aggregate_id: step.id, version: step.version })
      .onConflict((oc) =>
        oc
          .columns(['aggregate', 'aggregate_id'])
          .doUpdateSet({ version: sql<number>`greatest(newest_versions.version, excluded.version)` }),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    return version;
  }
}
