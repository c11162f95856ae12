import type { Discovery, InstanceStatus, ServiceInstance } from '@sagamart/kit';

/**
 * Static discovery that tests can change: each service registers its own (test-chosen) URL, so a
 * restarted service is found at its new address, and a route can be pointed at a proxy instead.
 */
export class TestRegistry {
  private readonly urls = new Map<string, string>();
  private readonly overrides = new Map<string, string>();

  /** The address of the running instance (not a proxy in front of it). */
  urlOf(app: string): string | undefined {
    return this.urls.get(app);
  }

  /** Callers of `app` reach `url` instead (a proxy); undefined restores the direct route. */
  route(app: string, url: string | undefined): void {
    if (url) this.overrides.set(app, url);
    else this.overrides.delete(app);
  }

  /** One service's view: what it registers is what others find. */
  forService(): Discovery {
    const registry = this;
    let self: { app: string; url: string } | undefined;
    const instance = (app: string, url: string): ServiceInstance => ({
      app,
      instanceId: `${app}-test`,
      url,
      status: 'UP' as InstanceStatus,
      metadata: {},
    });
    return {
      async register(registration) {
        self = { app: registration.app, url: registration.url };
        registry.urls.set(registration.app, registration.url);
      },
      async setStatus() {},
      async deregister() {
        if (self && registry.urls.get(self.app) === self.url) registry.urls.delete(self.app);
      },
      async applications() {
        return new Map([...registry.urls].map(([app, url]) => [app, [instance(app, url)]]));
      },
      async choose(app) {
        const url = registry.overrides.get(app) ?? registry.urls.get(app);
        return url ? instance(app, url) : undefined;
      },
      async close() {
        await this.deregister();
      },
    };
  }
}
