import {
  BulkCancelResult,
  BulkUploadResult,
  type CourierUploadItem,
  TrackingInfo,
} from '@sagamart/contracts/http/courier';
import { ServiceCallError, type ServiceClient } from '@sagamart/kit';
import { refusedForGood } from '../domain/shipment-rules.ts';

// The courier's API through the kit's service client: discovery, a per-call timeout and the circuit
// breaker of the courier target. A 4xx but 408 and 429 is the courier's final word ({code, message});
// anything else (down, timeout, 408, 429, 5xx, circuit open) is thrown as a ServiceCallError for the
// caller to back off.

export class CourierRejected extends Error {
  override name = 'CourierRejected';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface CourierAccount {
  accountKey: string;
  code: string;
  timeoutMs: number;
}

export class CourierClient {
  constructor(
    private readonly client: ServiceClient,
    private readonly account: () => CourierAccount,
  ) {}

  /** Idempotent at the courier by each item's reference (our shipment id): safe to send again. */
  upload(items: CourierUploadItem[]) {
    const { accountKey, timeoutMs } = this.account();
    return rejections(
      this.client.post(
        '/api/v1/courier/orders/bulk-upload',
        { courierAccountKey: accountKey, items },
        { timeoutMs, idempotent: true, response: BulkUploadResult },
      ),
    );
  }

  cancel(trackingNumbers: string[]) {
    const { accountKey, timeoutMs } = this.account();
    return rejections(
      this.client.post(
        '/api/v1/courier/orders/bulk-cancel',
        { courierAccountKey: accountKey, trackingNumbers },
        { timeoutMs, idempotent: true, response: BulkCancelResult },
      ),
    );
  }

  /** Reads only: retried on transient failures (within the breaker). */
  track(trackingNumber: string) {
    const { accountKey, code, timeoutMs } = this.account();
    return rejections(
      this.client.post(
        '/api/v1/trackingInfo',
        { t_code: code, t_invoice: trackingNumber, t_key: accountKey },
        { timeoutMs, idempotent: true, response: TrackingInfo },
      ),
    );
  }
}

async function rejections<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ServiceCallError && error.kind === 'http' && refusedForGood(error.status)) {
      const code = typeof error.problem?.code === 'string' ? error.problem.code : 'COURIER_REJECTED';
      const message = typeof error.problem?.message === 'string' ? error.problem.message : error.message;
      throw new CourierRejected(code, message, error.status ?? 400);
    }
    throw error;
  }
}
