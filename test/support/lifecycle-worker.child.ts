/**
 * A real AIMS worker in a process of its own, for the tests that kill a worker mid-lifecycle:
 *
 *   node -r test/integration/event-store/ts-register.cjs test/support/lifecycle-worker.child.ts \
 *        <temporal address> <namespace> <task queue> <event store url>
 *
 * It opens the evidence store, bundles the workflows from source, prints "ready" once it polls, and runs
 * until it is killed (the test sends SIGKILL: no drain, no goodbye, exactly like a crashed host).
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createAimsWorker } from '../../apps/worker/src/create-worker';
import { TEST_COMMAND_KEYS } from './command-keys';
import { openEventStore } from '../../infra/event-store/open-event-store';

async function main(): Promise<void> {
  const [address, namespace, taskQueue, storeUrl] = process.argv.slice(2);
  if (!address || !namespace || !taskQueue || !storeUrl) throw new Error('usage: <address> <namespace> <taskQueue> <storeUrl>');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const eventStore = await openEventStore(storeUrl);
  const connection = await NativeConnection.connect({ address });
  const worker = await createAimsWorker({
    connection,
    namespace,
    taskQueue,
    eventStore,
    workflows: 'source',
    commandKeys: TEST_COMMAND_KEYS,
    identity: `lifecycle-child-${process.pid}`,
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
