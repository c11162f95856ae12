import { pathToFileURL } from 'node:url';
import { findServices } from './services.ts';

// The container image's entry point: one service per container, named by SAGAMART_SERVICE (or the
// first argument). It runs in this process (PID 1 gets SIGTERM directly, as Kubernetes sends it),
// from the service's folder, exactly as the launcher starts it.
const name = process.argv[2] ?? process.env.SAGAMART_SERVICE;
const services = await findServices();
const service = services.find((s) => s.name === name);
if (!service) {
  console.error(
    `${name ? `No service named ${name}. ` : ''}Set SAGAMART_SERVICE to one of: ${services.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
process.chdir(service.dir);
await import(pathToFileURL(service.entry).href);
