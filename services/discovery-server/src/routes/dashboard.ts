import type { ServiceApp } from '@sagamart/kit';
import type { RegistryService } from '../app/registry-service.ts';
import type { Application, InstanceStatus } from '../domain/registry.ts';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export interface DashboardView {
  apps: Application[];
  now: number;
  startedAt: number;
  defaultLeaseMs: number;
  evictionIntervalMs: number;
  configSource: string;
}

const STATUS_COLOURS: Record<InstanceStatus, string> = {
  UP: '#1b7f3b',
  DOWN: '#b42318',
  OUT_OF_SERVICE: '#9a6700',
  STARTING: '#445',
};

const ago = (now: number, at: number) => `${Math.max(0, Math.round((now - at) / 1000))} s ago`;

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/** The registry at a glance, like Eureka's home page: server-rendered, no scripts, refreshed every 5 s. */
export function renderDashboard(view: DashboardView): string {
  const e = escapeHtml;
  const instanceCount = view.apps.reduce((n, a) => n + a.instances.length, 0);
  const rows = view.apps.flatMap((app) =>
    app.instances.map(
      (i) => `<tr>
<td>${e(app.name.toUpperCase())}</td>
<td><code>${e(i.instanceId)}</code></td>
<td><span class="status" style="background:${STATUS_COLOURS[i.status]}">${e(i.status)}</span></td>
<td>${/^https?:\/\//i.test(i.url) ? `<a href="${e(i.url)}">${e(i.url)}</a>` : e(i.url)}</td>
<td title="${e(new Date(i.lastHeartbeatAt).toISOString())}">${e(ago(view.now, i.lastHeartbeatAt))}</td>
<td>${e(new Date(i.registeredAt).toISOString())}</td>
<td>${e(String(i.leaseDurationMs / 1000))} s</td>
</tr>`,
    ),
  );
  const summary = view.apps
    .map((app) => {
      const counts = new Map<string, number>();
      for (const i of app.instances) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
      const text = [...counts].map(([status, n]) => `${status} (${n})`).join(', ');
      return `<tr><td>${e(app.name.toUpperCase())}</td><td>${e(text)}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>sagamart discovery</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f5f5f7}.status{color:#fff;border-radius:3px;padding:.1rem .4rem;font-size:.85rem}
.empty{color:#777;font-style:italic}footer{margin-top:2rem;font-size:.85rem;color:#666}
</style>
</head>
<body>
<h1>sagamart discovery</h1>
<h2>System status</h2>
<table>
<tr><th>Current time</th><td>${e(new Date(view.now).toISOString())}</td></tr>
<tr><th>Uptime</th><td>${e(duration(view.now - view.startedAt))}</td></tr>
<tr><th>Default lease</th><td>${e(String(view.defaultLeaseMs / 1000))} s</td></tr>
<tr><th>Eviction interval</th><td>${e(String(view.evictionIntervalMs))} ms</td></tr>
<tr><th>Config</th><td>${e(view.configSource)}</td></tr>
<tr><th>Registered</th><td>${view.apps.length} apps, ${instanceCount} instances</td></tr>
</table>
<h2>Applications</h2>
${view.apps.length ? `<table><tr><th>Application</th><th>Status</th></tr>\n${summary}\n</table>` : '<p class="empty">No instances available</p>'}
<h2>Instances currently registered</h2>
${
  rows.length
    ? `<table>
<tr><th>Application</th><th>Instance</th><th>Status</th><th>URL</th><th>Last heartbeat</th><th>Registered</th><th>Lease</th></tr>
${rows.join('\n')}
</table>`
    : '<p class="empty">No instances available</p>'
}
<footer>JSON: <a href="/api/registry/apps">/api/registry/apps</a> · Eureka: <a href="/eureka/apps">/eureka/apps</a> ·
<a href="/metrics">/metrics</a> · <a href="/openapi.json">/openapi.json</a> · refreshes every 5 s</footer>
</body>
</html>
`;
}

export function dashboardRoutes(
  app: ServiceApp,
  registry: RegistryService,
  configSource: () => string,
): void {
  const startedAt = registry.clock();
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      // No scripts at all: the page is markup and inline styles only.
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('x-content-type-options', 'nosniff')
      .send(
        renderDashboard({
          apps: registry.registry.applications(),
          now: registry.clock(),
          startedAt,
          defaultLeaseMs: registry.defaultLeaseMs,
          evictionIntervalMs: registry.evictionIntervalMs,
          configSource: configSource(),
        }),
      ),
  );
}
