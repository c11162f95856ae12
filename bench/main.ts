/**
 * npm run bench: the platform's benchmarks, one after another (catalog, orders, notifications, chat,
 * resources: each service's RSS at idle and under the order load, idle: the whole platform's PSS, idle
 * CPU and time to ready in both `npm start` modes, wakeups: what a request costs its server when it
 * wakes it against when requests queue).
 * Pass a name to run one: npm run bench -- catalog
 */
import { runCatalogBench } from './catalog.ts';
import { runChatBench } from './chat.ts';
import { runIdleBench } from './idle.ts';
import { runNotificationBench } from './notifications.ts';
import { runOrderBench } from './orders.ts';
import { runResourceBench } from './resources.ts';
import { runWakeupBench } from './wakeups.ts';

const benches: Record<string, () => Promise<void>> = {
  catalog: runCatalogBench,
  orders: runOrderBench,
  notifications: runNotificationBench,
  resources: runResourceBench,
  chat: runChatBench,
  idle: runIdleBench,
  wakeups: runWakeupBench,
};
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length) {
  console.error(`Unknown bench: ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`== ${name} ==`);
  await run();
}
