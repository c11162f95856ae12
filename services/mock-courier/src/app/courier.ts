import { randomInt } from 'node:crypto';
import type { CourierStatus } from '@sagamart/contracts';
import {
  type BulkCancelResult,
  type BulkUploadResult,
  type CourierErrorCode,
  CourierUploadItem,
  type TrackingInfo,
} from '@sagamart/contracts/http/courier';
import {
  isUniqueViolation,
  Problem,
  type Selectable,
  type ServiceContext,
  type Transaction,
} from '@sagamart/kit';
import { Compile } from 'typebox/compile';
import {
  advanceTo,
  dueEvents,
  isFinal,
  newTrackingNumber,
  trackingEvent,
  type WaybillClock,
} from '../domain/waybill.ts';
import type { MockCourierDb } from '../infra/schema.ts';

type Row = Selectable<MockCourierDb['waybills']>;
type Trx = Transaction<MockCourierDb>;

/** The courier's own error shape {code, message}, inside a problem+json answer. */
export function courierError(status: number, code: CourierErrorCode, message: string): Problem {
  return new Problem(status, message, {
    code: code.toLowerCase().replaceAll('_', '-'),
    extensions: { code, message },
  });
}

const uploadItem = Compile(CourierUploadItem);

export class Courier {
  constructor(private readonly ctx: ServiceContext<MockCourierDb>) {}

  private get code() {
    return this.ctx.config.string('mockCourier.code');
  }

  private checkAccount(accountKey: string): void {
    if (accountKey !== this.ctx.config.string('mockCourier.accountKey')) {
      throw courierError(401, 'INVALID_ACCOUNT_KEY', '등록되지 않은 계약 고객 키입니다.');
    }
  }

  /** Issues a waybill per valid item; an item whose reference was uploaded before answers its waybill. */
  async upload(accountKey: string, items: unknown[]): Promise<BulkUploadResult> {
    this.checkAccount(accountKey);
    const results: BulkUploadResult['results'] = [];
    for (const [index, raw] of items.entries()) {
      if (!uploadItem.Check(raw)) {
        const first = [...uploadItem.Errors(raw)][0];
        const reference =
          raw && typeof raw === 'object' && typeof (raw as { reference?: unknown }).reference === 'string'
            ? String((raw as { reference: string }).reference).slice(0, 64)
            : null;
        results.push({
          index,
          reference,
          trackingNumber: null,
          error: {
            code: 'INVALID_REQUEST',
            message: `items[${index}]${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`,
          },
        });
        continue;
      }
      const trackingNumber = await this.issue(accountKey, raw);
      results.push({ index, reference: raw.reference, trackingNumber, error: null });
    }
    const failed = results.filter((r) => r.error).length;
    return { results, summary: { total: results.length, succeeded: results.length - failed, failed } };
  }

  private async issue(accountKey: string, item: CourierUploadItem): Promise<string> {
    const existing = await this.byReference(accountKey, item.reference);
    if (existing) return existing;
    for (let attempt = 0; ; attempt++) {
      const trackingNumber = newTrackingNumber(randomInt);
      const pickup = item.pickup ?? false;
      try {
        await this.ctx.db
          .insertInto('waybills')
          .values({
            tracking_number: trackingNumber,
            account_key: accountKey,
            reference: item.reference,
            receiver_name: item.receiverName,
            receiver_phone: item.receiverPhone,
            zip_code: item.zipCode,
            address: item.address,
            goods_name: item.goodsName,
            quantity: item.quantity,
            pickup,
            status: 'ACCEPTED',
            events: JSON.stringify([trackingEvent(0, 'ACCEPTED', new Date(), pickup)]) as never,
            step_ms: this.ctx.config.number('mockCourier.stepMs'),
          })
          .execute();
        return trackingNumber;
      } catch (error) {
        // The same reference uploaded at the same moment: answer the waybill that won.
        if (isUniqueViolation(error, 'waybills_reference')) {
          const winner = await this.byReference(accountKey, item.reference);
          if (winner) return winner;
        }
        if (!isUniqueViolation(error) || attempt >= 5) throw error;
      }
    }
  }

  private async byReference(accountKey: string, reference: string): Promise<string | undefined> {
    const row = await this.ctx.db
      .selectFrom('waybills')
      .select('tracking_number')
      .where('account_key', '=', accountKey)
      .where('reference', '=', reference)
      .executeTakeFirst();
    return row?.tracking_number;
  }

  /** Cancels waybills still ACCEPTED; cancelling a cancelled one again is a success. */
  async cancel(accountKey: string, trackingNumbers: string[]): Promise<BulkCancelResult> {
    this.checkAccount(accountKey);
    const results: BulkCancelResult['results'] = [];
    for (const trackingNumber of trackingNumbers) {
      results.push(
        await this.ctx.db.transaction().execute(async (trx) => {
          const row = await this.settled(trx, trackingNumber, accountKey);
          if (!row) {
            return { trackingNumber, cancelled: false, status: null, error: waybillNotFound(trackingNumber) };
          }
          const verdict = advanceTo(clockOf(row), 'CANCELLED', new Date());
          if (!verdict.ok) {
            return {
              trackingNumber,
              cancelled: false,
              status: row.status,
              error: { code: verdict.code, message: verdict.message },
            };
          }
          await this.append(trx, row, verdict.events);
          return { trackingNumber, cancelled: true, status: 'CANCELLED' as const, error: null };
        }),
      );
    }
    const failed = results.filter((r) => r.error).length;
    return { results, summary: { total: results.length, succeeded: results.length - failed, failed } };
  }

  async track(input: { t_code: string; t_invoice: string; t_key: string }): Promise<TrackingInfo> {
    this.checkAccount(input.t_key);
    if (input.t_code !== this.code) {
      throw courierError(400, 'INVALID_REQUEST', `알 수 없는 택배사 코드입니다: ${input.t_code}`);
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.settled(trx, input.t_invoice, input.t_key);
      if (!row) throw notFoundProblem(input.t_invoice);
      return this.info(row);
    });
  }

  /** Test control: moves one waybill to `to` at once (every step in between is recorded now). */
  async advance(trackingNumber: string, to: CourierStatus): Promise<TrackingInfo> {
    if (!this.ctx.config.boolean('mockCourier.testControl')) {
      throw courierError(403, 'TEST_CONTROL_DISABLED', 'Test control is disabled (mockCourier.testControl)');
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.settled(trx, trackingNumber);
      if (!row) throw notFoundProblem(trackingNumber);
      const verdict = advanceTo(clockOf(row), to, new Date());
      if (!verdict.ok) throw courierError(409, verdict.code, verdict.message);
      return this.info(await this.append(trx, row, verdict.events));
    });
  }

  /** The waybill, locked, with every step its clock has made so far recorded. */
  private async settled(trx: Trx, trackingNumber: string, accountKey?: string): Promise<Row | undefined> {
    let query = trx.selectFrom('waybills').selectAll().where('tracking_number', '=', trackingNumber);
    if (accountKey !== undefined) query = query.where('account_key', '=', accountKey);
    const row = await query.forUpdate().executeTakeFirst();
    if (!row) return undefined;
    return this.append(trx, row, dueEvents(clockOf(row), new Date()));
  }

  private async append(trx: Trx, row: Row, events: Row['events']): Promise<Row> {
    const last = events.at(-1);
    if (!last) return row;
    const all = [...row.events, ...events];
    await trx
      .updateTable('waybills')
      .set({ status: last.kind, events: JSON.stringify(all) as never })
      .where('tracking_number', '=', row.tracking_number)
      .execute();
    return { ...row, status: last.kind, events: all };
  }

  private info(row: Row): TrackingInfo {
    return {
      invoiceNo: row.tracking_number,
      courierCode: this.code,
      status: row.status,
      complete: isFinal(row.status),
      pickup: row.pickup,
      lastDetail: row.events.at(-1)!,
      trackingDetails: row.events,
    };
  }
}

const clockOf = (row: Row): WaybillClock => ({
  status: row.status,
  events: row.events,
  pickup: row.pickup,
  stepMs: row.step_ms,
});

const waybillNotFound = (trackingNumber: string) => ({
  code: 'NOT_FOUND_WAYBILL' as const,
  message: `운송장 번호 ${trackingNumber}을(를) 찾을 수 없습니다.`,
});
const notFoundProblem = (trackingNumber: string) => {
  const { code, message } = waybillNotFound(trackingNumber);
  return courierError(404, code, message);
};
