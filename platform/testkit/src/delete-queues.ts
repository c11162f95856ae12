// Deletes the RabbitMQ queues named on stdin (one per line): CI cleans up after the infra suites with
//   rabbitmqctl list_queues -q name | grep '^t_' | node --import tsx platform/testkit/src/delete-queues.ts
import { createInterface } from 'node:readline';
import { Connection } from 'rabbitmq-client';

const connection = new Connection(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
let deleted = 0;
for await (const line of createInterface({ input: process.stdin })) {
  const queue = line.trim();
  if (!queue) continue;
  await connection.queueDelete({ queue }).then(
    () => deleted++,
    () => {},
  );
}
await connection.close();
console.log(`deleted ${deleted} test queues`);
