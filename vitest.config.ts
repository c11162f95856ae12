import { defineConfig } from 'vitest/config';

// Three projects: `unit` runs everywhere on an embedded PostgreSQL; `web` runs the web app's logic
// (apps/web/src/**/*.test.ts next to the code; node, or happy-dom per file with
// `// @vitest-environment happy-dom`); `infra` runs the transport/cache suites against real
// PostgreSQL, RabbitMQ and Redis (CI sets SAGAMART_TEST_INFRA=1). `npm test` runs unit and web.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['platform/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'],
          exclude: ['**/*.infra.test.ts', '**/node_modules/**'],
          globalSetup: ['platform/testkit/src/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // The launcher's compiled bundles (the API fuzz test runs `--in-process`) load as under
          // `npm start`: by Node itself, not through Vite's transform.
          server: { deps: { external: [/\/platform\/launcher\/dist\//] } },
        },
      },
      {
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'infra',
          include: ['platform/*/test/**/*.infra.test.ts', 'services/*/test/**/*.infra.test.ts'],
          globalSetup: ['platform/testkit/src/global-setup.ts'],
          // Deletes the RabbitMQ queues and exchanges each file's tests declared (infra.amqp()).
          setupFiles: ['platform/testkit/src/rabbitmq-teardown.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
