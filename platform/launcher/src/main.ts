import { parseArgs } from 'node:util';
import { getLocal } from './local-http.ts';
import { startPlatform } from './platform.ts';
import { buildWebIfNeeded } from './web-build.ts';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    'in-process': { type: 'boolean', default: false },
    'process-per-service': { type: 'boolean', default: false },
    'skip-web': { type: 'boolean', default: false },
    instances: { type: 'string' },
    'port-offset': { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`npm start [-- options]
  --reset        wipe .data/ (embedded database and logs) first
  --in-process   run every service in this one process (low memory)
  --process-per-service
                 the supporting servers (config, discovery, trace, mock courier and PG) in a
                 process each too, instead of sharing one (docs/adr/0011)
  --skip-web     do not build the web app
  --instances gateway=2,order-service=2
                 run more processes of these services (each 400 ports above the last); on real
                 infrastructure (REDIS_URL) they share rate limits and caches
  --port-offset N  add N to every port, the embedded PostgreSQL's too (a second platform beside
                 the first, e.g. the bench; give it its own --data-dir)
  --data-dir DIR   embedded database and logs in DIR instead of .data/
Environment: DATABASE_URL, AMQP_URL, REDIS_URL switch to external PostgreSQL, RabbitMQ and Redis.`);
  process.exit(0);
}

const started = Date.now();
if (!values['skip-web']) await buildWebIfNeeded(console.log);
const instances = Object.fromEntries(
  (values.instances ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [name, count] = pair.split('=');
      const n = Number(count ?? 1);
      if (!Number.isInteger(n) || n < 1) {
        console.error(`--instances: "${pair}" is not <service>=<count of 1 or more>`);
        process.exit(2);
      }
      return [name!.trim(), n];
    }),
);
const platform = await startPlatform({
  reset: values.reset,
  inProcess: values['in-process'],
  processPerService: values['process-per-service'],
  instances,
  portOffset: Number(values['port-offset']),
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
}).catch((error: Error) => {
  console.error(`\nsagamart could not start: ${error.message}`);
  process.exit(1);
});

async function health(url: string | undefined): Promise<string> {
  if (!url) return 'DOWN';
  try {
    const res = await getLocal(`${url}/health/ready`);
    return res.ok ? 'UP' : `DOWN (${res.status})`;
  } catch {
    return 'DOWN';
  }
}

const rows = await Promise.all(
  platform
    .services()
    .map(async (s) => [
      s.instance ? `${s.name} #${s.instance + 1}` : s.name,
      String(s.port),
      await health(s.url),
      s.pid ? String(s.pid) : '-',
    ]),
);
const header = ['SERVICE', 'PORT', 'STATUS', 'PID'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of rows) console.log(line(row));
console.log(`
sagamart is up in ${((Date.now() - started) / 1000).toFixed(1)} s (${platform.mode} infrastructure${values['in-process'] ? ', one process' : ''}).
  Shop and admin:  ${platform.gatewayUrl}
  API docs:        ${platform.gatewayUrl}/docs
  Registry:        ${platform.discoveryUrl}
  Admin login:     ${platform.adminEmail} / ${platform.adminPassword}${platform.agentLogin ? `\n  Agent login:     ${platform.agentLogin.email} / ${platform.agentLogin.password} (chat console)` : ''}
Logs are in ${values['data-dir'] ?? '.data'}/logs/. Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping sagamart…');
  await platform.stop();
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
