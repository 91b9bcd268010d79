/**
 * Starts a real Temporal dev server for a test file through @temporalio/testing, from the CLI that the
 * global set-up resolved (`existing-path`: no download), and runs real workers against it.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { TEST_SIGNING } from './command-keys';

let runtimeInstalled = false;

export async function startTemporal(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_CLI_PATH;
  if (!path) throw new Error('TEMPORAL_CLI_PATH is not set: run the tests through jest (its global set-up resolves the CLI)');
  if (!runtimeInstalled) {
    // Quiet worker logs in tests; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      ip: '127.0.0.1',
      log: { format: 'pretty', level: 'warn' },
    },
    // The tests' client signs its Updates and starts as the API does (workers refuse unsigned steps).
    client: { interceptors: { workflow: [TEST_SIGNING] } },
  });
}

/** A task queue of its own for each test, so tests never steal each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
