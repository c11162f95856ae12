import {
  AdvanceWaybillBody,
  BulkCancelRequest,
  BulkCancelResult,
  BulkUploadRequest,
  BulkUploadResult,
  TrackingInfo,
  TrackingInfoRequest,
  WaybillParams,
} from '@sagamart/contracts/http/courier';
import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { courierModule } from '../app/module.ts';
import type { MockCourierDb } from '../infra/schema.ts';

const errors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

/**
 * The courier's API. The account key travels in the body (`courierAccountKey`, or `t_key` for
 * tracking). Every error is a 4xx carrying the courier's own {code, message}: the kit's own refusals
 * (malformed JSON, schema violations) get them too, so a client reads one shape whatever went wrong.
 */
export function registerCourierRoutes(app: ServiceApp, ctx: ServiceContext<MockCourierDb>): void {
  const courier = courierModule(ctx);

  app.addHook('preSerialization', async (_req, reply, payload) => {
    if (reply.statusCode < 400 || !payload || typeof payload !== 'object') return payload;
    const problem = payload as Record<string, unknown>;
    if (typeof problem.code === 'string') return payload;
    const code =
      reply.statusCode === 401
        ? 'INVALID_ACCOUNT_KEY'
        : reply.statusCode === 404
          ? 'NOT_FOUND'
          : 'INVALID_REQUEST';
    return {
      ...problem,
      code,
      message: typeof problem.detail === 'string' ? problem.detail : String(problem.title),
    };
  });

  app.post(
    '/api/v1/courier/orders/bulk-upload',
    {
      schema: {
        tags: ['courier'],
        summary:
          'Issue waybills for up to 100 parcels; each item succeeds or fails alone; idempotent per reference',
        body: BulkUploadRequest,
        response: { 200: BulkUploadResult, ...errors },
      },
    },
    async (req) => courier.upload(req.body.courierAccountKey, req.body.items),
  );

  app.post(
    '/api/v1/courier/orders/bulk-cancel',
    {
      schema: {
        tags: ['courier'],
        summary: 'Cancel waybills not yet picked up',
        body: BulkCancelRequest,
        response: { 200: BulkCancelResult, ...errors },
      },
    },
    async (req) => courier.cancel(req.body.courierAccountKey, req.body.trackingNumbers),
  );

  app.post(
    '/api/v1/trackingInfo',
    {
      schema: {
        tags: ['tracking'],
        summary: "A waybill's last event and every event so far (smart-parcel style)",
        body: TrackingInfoRequest,
        response: { 200: TrackingInfo, ...errors },
      },
    },
    async (req) => courier.track(req.body),
  );

  app.post(
    '/api/v1/test/waybills/:trackingNumber/advance',
    {
      schema: {
        tags: ['test-control'],
        summary: 'Test control: move one waybill to a status at once (mockCourier.testControl)',
        params: WaybillParams,
        body: AdvanceWaybillBody,
        response: { 200: TrackingInfo, ...errors },
      },
    },
    async (req) => courier.advance(req.params.trackingNumber, req.body.to),
  );
}
