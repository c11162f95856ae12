import type { ClaimType } from '@sagamart/contracts';
import {
  AdminClaimsQuery,
  AdminClaimView,
  AdminShipmentsQuery,
  AdminShipmentView,
  ClaimIdParams,
  ClaimView,
  IssueWaybillsBody,
  IssueWaybillsResult,
  RejectClaimBody,
  ShipmentIdParams,
} from '@sagamart/contracts/http/shipping';
import {
  PageSchema,
  problemResponses,
  requireIdentity,
  type ServiceApp,
  type ServiceContext,
} from '@sagamart/kit';
import { shippingModule } from '../app/module.ts';
import type { ShippingDb } from '../infra/schema.ts';

/** The admin's routes: shipments and waybills, and the return and exchange queues. */
export function registerAdminRoutes(app: ServiceApp, ctx: ServiceContext<ShippingDb>): void {
  const { reads, claims, waybills, tracker } = shippingModule(ctx);
  const tags = ['shipping-admin'];

  app.get(
    '/api/admin/shipping',
    {
      schema: {
        tags,
        summary:
          'Shipments, newest first, filtered by status, courier status, kind, order or tracking number',
        querystring: AdminShipmentsQuery,
        response: { 200: PageSchema(AdminShipmentView), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return reads.adminShipments(req.query);
    },
  );

  app.post(
    '/api/admin/shipping/waybills',
    {
      schema: {
        tags,
        summary: 'Issue waybills for READY shipments at the courier (one or many); one result per shipment',
        body: IssueWaybillsBody,
        response: { 200: IssueWaybillsResult, ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return waybills.issue(req.body.shipmentIds);
    },
  );

  app.post(
    '/api/admin/shipping/:id/tracking/resume',
    {
      schema: {
        tags,
        summary:
          "Resume a waybill's tracking now: its failure mark (the courier did not know it) is cleared and the courier asked at once; 409 when the parcel is not being tracked",
        params: ShipmentIdParams,
        response: { 200: AdminShipmentView, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      await tracker.resume(req.params.id);
      return reads.adminShipment(req.params.id);
    },
  );

  for (const [path, type] of [
    ['returns', 'RETURN'],
    ['exchanges', 'EXCHANGE'],
  ] as const satisfies readonly (readonly [string, ClaimType])[]) {
    const label = type === 'RETURN' ? 'return' : 'exchange';
    app.get(
      `/api/admin/shipping/${path}`,
      {
        schema: {
          tags,
          summary: `The ${label} queue, newest first, filtered by status or order number`,
          querystring: AdminClaimsQuery,
          response: { 200: PageSchema(AdminClaimView), ...problemResponses(400, 401, 403) },
        },
      },
      async (req) => {
        requireIdentity(req, 'ADMIN');
        return reads.adminClaims(type, req.query);
      },
    );

    app.post(
      `/api/admin/shipping/${path}/:id/approve`,
      {
        schema: {
          tags,
          summary:
            type === 'RETURN'
              ? 'Approve a return: a pickup waybill is issued at the courier'
              : 'Approve an exchange: the new options are reserved (409 when out of stock) and a pickup waybill issued',
          params: ClaimIdParams,
          response: { 200: ClaimView, ...problemResponses(400, 401, 403, 404, 409, 502, 503) },
        },
      },
      async (req) => {
        requireIdentity(req, 'ADMIN');
        await claims.approve(req.params.id, type);
        return reads.claim(req.params.id);
      },
    );

    app.post(
      `/api/admin/shipping/${path}/:id/reject`,
      {
        schema: {
          tags,
          summary: `Reject a requested ${label} with a reason the shopper sees (a pickup booked by a lost approval is cancelled at the courier first; 503 while the courier is unreachable)`,
          params: ClaimIdParams,
          body: RejectClaimBody,
          response: { 200: ClaimView, ...problemResponses(400, 401, 403, 404, 409, 503) },
        },
      },
      async (req) => {
        requireIdentity(req, 'ADMIN');
        await claims.reject(req.params.id, type, req.body.reason.trim());
        return reads.claim(req.params.id);
      },
    );
  }
}
