import { type Static, Type } from 'typebox';
import { COURIER_ADDRESS_MAX_LENGTH } from '../rules.ts';
import { CourierStatus } from '../shipping.ts';

// The mock courier's API (services/mock-courier), shaped like a Korean courier's bulk API and the
// smart-parcel tracking API. shipping-service's courier client reads the same shapes.
// Errors are 4xx with the courier's own shape {code, message} (inside a problem+json document).

export const COURIER_ERROR_CODES = [
  'INVALID_ACCOUNT_KEY',
  'INVALID_REQUEST',
  'NOT_FOUND_WAYBILL',
  'ALREADY_PICKED_UP',
  'INVALID_TRANSITION',
  'TEST_CONTROL_DISABLED',
] as const;
export type CourierErrorCode = (typeof COURIER_ERROR_CODES)[number];
export const CourierError = Type.Object({ code: Type.String(), message: Type.String() });
export type CourierError = Static<typeof CourierError>;

const AccountKey = Type.String({ minLength: 1, maxLength: 100 });
export const CourierTrackingNumber = Type.String({ pattern: '^[0-9]{12}$' });

export const CourierUploadItem = Type.Object({
  /** The sender's own key of the parcel: uploading it again returns the same waybill. */
  reference: Type.String({ minLength: 1, maxLength: 64 }),
  receiverName: Type.String({ minLength: 1, maxLength: 50 }),
  receiverPhone: Type.String({ minLength: 1, maxLength: 20 }),
  zipCode: Type.String({ maxLength: 10 }),
  address: Type.String({ minLength: 1, maxLength: COURIER_ADDRESS_MAX_LENGTH }),
  goodsName: Type.String({ minLength: 1, maxLength: 100 }),
  quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  /** A return pickup: the courier collects at this address and brings the parcel to the shop. */
  pickup: Type.Optional(Type.Boolean()),
});
export type CourierUploadItem = Static<typeof CourierUploadItem>;

/** POST /api/v1/courier/orders/bulk-upload. Items are judged one by one (a bad item fails alone). */
export const BulkUploadRequest = Type.Object({
  courierAccountKey: AccountKey,
  items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100 }),
});
export type BulkUploadRequest = { courierAccountKey: string; items: CourierUploadItem[] };

const Summary = Type.Object({
  total: Type.Integer(),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
});

export const BulkUploadResult = Type.Object({
  results: Type.Array(
    Type.Object({
      index: Type.Integer(),
      reference: Type.Union([Type.String(), Type.Null()]),
      trackingNumber: Type.Union([Type.String(), Type.Null()]),
      error: Type.Union([CourierError, Type.Null()]),
    }),
  ),
  summary: Summary,
});
export type BulkUploadResult = Static<typeof BulkUploadResult>;

/** POST /api/v1/courier/orders/bulk-cancel: waybills not yet picked up (cancelling twice is fine). */
export const BulkCancelRequest = Type.Object({
  courierAccountKey: AccountKey,
  trackingNumbers: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 100 }),
});
export type BulkCancelRequest = Static<typeof BulkCancelRequest>;

export const BulkCancelResult = Type.Object({
  results: Type.Array(
    Type.Object({
      trackingNumber: Type.String(),
      cancelled: Type.Boolean(),
      /** The waybill's status after the call. */
      status: Type.Union([CourierStatus, Type.Null()]),
      error: Type.Union([CourierError, Type.Null()]),
    }),
  ),
  summary: Summary,
});
export type BulkCancelResult = Static<typeof BulkCancelResult>;

/** POST /api/v1/trackingInfo (smart-parcel style): t_code courier code, t_invoice waybill, t_key account key. */
export const TrackingInfoRequest = Type.Object({
  t_code: Type.String({ minLength: 1, maxLength: 20 }),
  t_invoice: Type.String({ minLength: 1, maxLength: 40 }),
  t_key: AccountKey,
});
export type TrackingInfoRequest = Static<typeof TrackingInfoRequest>;

export const CourierTrackingEvent = Type.Object({
  /** Position in the waybill's event list, from 0: a receiver records each seq once. */
  seq: Type.Integer({ minimum: 0 }),
  time: Type.String({ format: 'date-time' }),
  where: Type.String(),
  remark: Type.String(),
  kind: CourierStatus,
});
export type CourierTrackingEvent = Static<typeof CourierTrackingEvent>;

export const TrackingInfo = Type.Object({
  invoiceNo: Type.String(),
  courierCode: Type.String(),
  status: CourierStatus,
  /** DELIVERED or CANCELLED: nothing more will happen. */
  complete: Type.Boolean(),
  pickup: Type.Boolean(),
  lastDetail: CourierTrackingEvent,
  trackingDetails: Type.Array(CourierTrackingEvent),
});
export type TrackingInfo = Static<typeof TrackingInfo>;

/** POST /api/v1/test/waybills/{trackingNumber}/advance (test control, config mockCourier.testControl). */
export const AdvanceWaybillBody = Type.Object({ to: CourierStatus }, { additionalProperties: false });
export type AdvanceWaybillBody = Static<typeof AdvanceWaybillBody>;
export const WaybillParams = Type.Object({ trackingNumber: Type.String({ minLength: 1, maxLength: 40 }) });
