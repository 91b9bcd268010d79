import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import type { EventStore } from '../../../infra/ports/event-store.port';
import type { CommandKeyRing } from '../../../infra/signing/command-keys';
import type { PeopleDirectory } from '../../../activities/people.activities';
import type { NotificationSettings } from '../../../infra/config/notification-config';

/** A signed command older than this when the workflow accepts it is refused: it cannot be replayed later. */
export const DEFAULT_COMMAND_MAX_AGE_MS = 10 * 60_000;

/** Where `npm run build` writes the prebuilt workflow bundle that production workers load. */
export const WORKFLOW_BUNDLE_PATH = path.resolve(__dirname, '../../../workflow-bundle.js');
/** The workflows' source, bundled at start-up when no prebuilt bundle exists (development, tests). */
export const WORKFLOWS_SOURCE_PATH = require.resolve('../../../workflows');
/**
 * Loaded into the workflow sandbox once, before the SDK freezes it, in every bundle the worker runs
 * (prebuilt or from source):
 * - the stack-frame limit that keeps the SDK's per-promise stack capture cheap;
 * - the workflows themselves, with the domain they import: shared (and frozen) by every workflow in the
 *   sandbox instead of loaded again by each. Safe because the domain is pure and immutable and the
 *   workflows keep their state inside the workflow function; a module that mutated what it exports would
 *   throw on the frozen object. A cached lifecycle then holds only its own state: 1,500 cached lifecycles
 *   took 0.9 GB of worker memory instead of 1.6 GB and started 5× faster (docs/benchmarks.md, "Gate
 *   latency"). What still grows with the cache is the Temporal core's: it scans every cached run after
 *   each input of its workflow stream, so an Update costs more the more runs are cached; hence the bounded
 *   cache (AIMS_WORKER_MAX_CACHED_WORKFLOWS, 500 by default).
 */
/** The stack-frame limit every workflow bundle preloads (the bench's too). */
export const WORKFLOW_STACK_FRAMES_MODULE = require.resolve('../../../workflows/runtime/stack-frames');
export const WORKFLOW_BUNDLER_OPTIONS = {
  preloadModules: [WORKFLOW_STACK_FRAMES_MODULE, WORKFLOWS_SOURCE_PATH],
};

export interface CreateAimsWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  identity?: string;
  /** Where activities append evidence; the worker's owner opens and closes it. */
  eventStore: EventStore;
  /** The keys that vouch for commands: the same ring the API signs with (AIMS_COMMAND_KEYS). */
  commandKeys: CommandKeyRing;
  /** How long a signed command may take from signing to acceptance (default 10 minutes). */
  commandMaxAgeMs?: number;
  /** Bound on the sticky cache (see AIMS_WORKER_MAX_CACHED_WORKFLOWS); the SDK's default otherwise. */
  maxCachedWorkflows?: number;
  /** 'prebuilt' requires the bundle; 'source' always bundles; 'auto' prefers the bundle when present. */
  workflows?: 'prebuilt' | 'source' | 'auto';
  /** Directory and delivery settings for notification workflows (loadNotificationSettings); null: off. */
  notifications?: NotificationSettings | null;
  /** Who holds which roles, for document acknowledgements (tokenStorePeople over the token store); null: nobody is asked. */
  people?: PeopleDirectory | null;
}

export async function createAimsWorker(options: CreateAimsWorkerOptions): Promise<Worker> {
  const identity = options.identity ?? `aims-worker@${os.hostname()}:${process.pid}`;
  const mode = options.workflows ?? 'auto';
  const hasBundle = fs.existsSync(WORKFLOW_BUNDLE_PATH);
  if (mode === 'prebuilt' && !hasBundle) {
    throw new Error(`No prebuilt workflow bundle at ${WORKFLOW_BUNDLE_PATH}: run \`npm run build\` first`);
  }
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> =
    mode !== 'source' && hasBundle ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } } : { workflowsPath: WORKFLOWS_SOURCE_PATH };
  const bundling: Pick<WorkerOptions, 'bundlerOptions'> =
    'workflowsPath' in workflowSource ? { bundlerOptions: WORKFLOW_BUNDLER_OPTIONS } : {};
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    identity,
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...workflowSource,
    ...bundling,
    activities: createActivities({
      identity,
      taskQueue: options.taskQueue,
      eventStore: options.eventStore,
      commandVouching: { keys: options.commandKeys, maxAgeMs: options.commandMaxAgeMs ?? DEFAULT_COMMAND_MAX_AGE_MS },
      notifications: options.notifications ?? null,
      people: options.people ?? null,
    }),
  });
}
