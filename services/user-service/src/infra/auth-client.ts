import type { AccountSnapshot, CredentialsUpsert, PasswordChange } from '@sagamart/contracts';
import type { ServiceClient } from '@sagamart/kit';

/** auth-service's internal API (ADR 0002): credentials go there and nowhere else. */
export class AuthClient {
  constructor(private readonly client: ServiceClient) {}

  /** Idempotent (PUT), so the client retries transient failures. */
  setCredential(userId: string, body: CredentialsUpsert): Promise<unknown> {
    return this.client.put(`/internal/credentials/${userId}`, body);
  }

  /** Not retried: a second attempt could count as a second wrong password. */
  changePassword(userId: string, body: PasswordChange): Promise<unknown> {
    return this.client.post(`/internal/credentials/${userId}/password`, body);
  }

  pushSnapshot(snapshot: AccountSnapshot): Promise<unknown> {
    return this.client.put(`/internal/accounts/${snapshot.userId}`, snapshot, { timeoutMs: 2_000 });
  }
}
