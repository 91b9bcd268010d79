/**
 * A real AIMS worker in a process of its own, for the tests that kill a worker mid-step:
 *
 *   node -r test/integration/event-store/ts-register.cjs test/support/lifecycle-worker.child.ts \
 *        <temporal address> <namespace> <task queue> <event store url> [<pause after type> <pause file>]
 *
 * It opens the evidence store, bundles the workflows from source, prints "ready" once it polls, and runs
 * until it is killed (the test sends SIGKILL: no drain, no goodbye, exactly like a crashed host).
 *
 * With the last two arguments, the store the worker's activities use is wrapped (here, in the test's
 * worker, not in production code): once an append that carries an event of that type has committed, the
 * wrapper writes what it appended and the activity attempt that did it to <pause file> and never returns,
 * so the activity cannot complete. The test kills the process then: an append in flight whose commit the
 * worker never reported, which Temporal must retry on another worker.
 */
import * as fs from 'node:fs';
import { Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createAimsWorker } from '../../apps/worker/src/create-worker';
import { TEST_COMMAND_KEYS } from './command-keys';
import { openEventStore } from '../../infra/event-store/open-event-store';
import type { EventStore } from '../../infra/ports/event-store.port';

/** What the paused worker reports in its pause file (read by test/support/killed-worker.ts). */
export interface PausedAppend {
  workflowId: string;
  activityId: string;
  attempt: number;
  identity: string;
  stream: string;
  eventIds: string[];
  eventTypes: string[];
}

/** The store, except that an append carrying `type` commits, is reported to `file`, and then hangs. */
function pausingAfterAppend(store: EventStore, type: string, file: string, identity: string): EventStore {
  const append: EventStore['append'] = async (stream, events, options) => {
    const result = await store.append(stream, events, options);
    if (!events.some((e) => e.type === type)) return result;
    const info = Context.current().info;
    const paused: PausedAppend = {
      workflowId: info.workflowExecution?.workflowId ?? '',
      activityId: info.activityId,
      attempt: info.attempt,
      identity,
      stream,
      eventIds: events.map((e) => e.id),
      eventTypes: events.map((e) => e.type),
    };
    // Written whole, then renamed: the test never reads half a file.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(paused));
    fs.renameSync(`${file}.tmp`, file);
    return new Promise<never>(() => undefined);
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function main(): Promise<void> {
  const [address, namespace, taskQueue, storeUrl, pauseAfterType, pauseFile] = process.argv.slice(2);
  if (!address || !namespace || !taskQueue || !storeUrl)
    throw new Error('usage: <address> <namespace> <taskQueue> <storeUrl> [<pause after type> <pause file>]');
  if ((pauseAfterType === undefined) !== (pauseFile === undefined))
    throw new Error('give both <pause after type> and <pause file>, or neither');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const identity = `lifecycle-child-${process.pid}`;
  const store = await openEventStore(storeUrl);
  const eventStore = pauseAfterType && pauseFile ? pausingAfterAppend(store, pauseAfterType, pauseFile, identity) : store;
  const connection = await NativeConnection.connect({ address });
  const worker = await createAimsWorker({
    connection,
    namespace,
    taskQueue,
    eventStore,
    workflows: 'source',
    commandKeys: TEST_COMMAND_KEYS,
    identity,
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
