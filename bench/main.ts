/**
 * npm run bench: the platform's benchmarks, one after another (catalog, orders, notifications, chat).
 * Pass a name to run one: npm run bench -- catalog
 */
import { runCatalogBench } from './catalog.ts';
import { runChatBench } from './chat.ts';
import { runNotificationBench } from './notifications.ts';
import { runOrderBench } from './orders.ts';

const benches: Record<string, () => Promise<void>> = {
  catalog: runCatalogBench,
  orders: runOrderBench,
  notifications: runNotificationBench,
  chat: runChatBench,
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
