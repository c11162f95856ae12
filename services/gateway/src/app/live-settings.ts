import type { Config, ServiceContext } from '@sagamart/kit';
import { type GatewaySettings, parseGatewaySettings } from '../domain/gateway-settings.ts';

/** The config keys that change live (also listed as `refreshable` in the service definition). */
export const REFRESHABLE_KEYS = ['gateway.rateLimits', 'gateway.cors', 'gateway.routes'];

/**
 * The current routes, rate limits and CORS policy. A refresh that breaks them is refused (logged, and the
 * last good settings stay); a broken configuration at start stops the gateway from starting.
 */
export class LiveSettings {
  private current: GatewaySettings;

  constructor(
    private readonly config: Config,
    private readonly log: ServiceContext['log'],
  ) {
    this.current = parseGatewaySettings(this.raw());
    for (const key of REFRESHABLE_KEYS) config.onChange(key, () => this.reload());
  }

  get value(): GatewaySettings {
    return this.current;
  }

  private reload(): void {
    try {
      this.current = parseGatewaySettings(this.raw());
      this.log.info({ routes: this.current.routes.routes.length }, 'gateway settings refreshed');
    } catch (error) {
      this.log.error(
        { err: (error as Error).message },
        'refreshed gateway settings are invalid; keeping the previous ones',
      );
    }
  }

  private raw() {
    return {
      routes: this.config.get('gateway.routes') ?? [],
      rateLimits: this.config.get('gateway.rateLimits'),
      cors: this.config.get('gateway.cors'),
      defaultTimeoutMs: this.config.number('gateway.defaultTimeoutMs'),
      defaultMaxBodyBytes: this.config.number('gateway.defaultMaxBodyBytes'),
    };
  }
}
