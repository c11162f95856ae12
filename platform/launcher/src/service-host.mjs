// A process that hosts several services (docs/adr/0011): the launcher forks it with the services'
// names as its argument (so that `ps` shows them) and the modules to load in SAGAMART_HOST_MODULES:
// the kit and each service's factory, from the compiled in-process build (one copy of the shared
// code for all of them), or their sources when it runs under tsx. The kit's runServiceHost does the
// rest. Plain JavaScript: nothing of the launcher is loaded here.
import { pathToFileURL } from 'node:url';

const { kit, services } = JSON.parse(process.env.SAGAMART_HOST_MODULES ?? '{}');
const load = (path) => import(pathToFileURL(path).href);
const { runServiceHost } = await load(kit);
const factories = await Promise.all(
  Object.entries(services).map(async ([name, path]) => [name, (await load(path)).default]),
);
await runServiceHost(new Map(factories));
