/**
 * Replays every recorded workflow history (test/fixtures/histories/<workflow>/<era>/*.json, written by the
 * workflow tests with AIMS_RECORD_HISTORIES=1) against today's workflow code. A change that would make a
 * running workflow take another path — a command added, removed or reordered without `patched()` — fails
 * here as non-determinism, before it reaches a worker in production. Each era is the code that recorded
 * it; none is ever dropped while runs started under it may still be open. Every fixture is listed in
 * fixture-manifest.ts, checked against the folder both ways; changed-workflows.replay.test.ts shows that this
 * replay does catch a non-deterministic change. The bundle is made as the worker makes it (its preloaded,
 * shared modules included).
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../../apps/worker/src/create-worker';
import { fixtureFolders } from '../../support/history-fixtures';
import { FIXTURE_MANIFEST } from './fixture-manifest';
import { loadHistories, replayEach, WORKFLOW_IDS, WORKFLOWS_PATH } from './replay-support';

const folders = fixtureFolders();

beforeAll(() => {
  // Replay workers log every state change at INFO; warnings and errors are what matter here.
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

test('every fixture in the folder is in the manifest, and every fixture the manifest lists is in the folder', () => {
  const inFolder = Object.fromEntries(folders.map((f) => [`${f.workflow}/${f.era}`, f.files.map((file) => file.replace(/\.json$/, ''))]));
  const listed = Object.fromEntries(Object.entries(FIXTURE_MANIFEST).map(([folder, names]) => [folder, [...names].sort()]));
  expect(inFolder).toEqual(listed);
  // Nothing else hides in a fixture folder (a half-written recording, a misnamed file).
  expect(folders.filter((f) => f.strays.length > 0).map((f) => [f.dir, f.strays])).toEqual([]);
  // Each workflow whose fixtures are listed is one the replay knows how to name.
  for (const folder of folders) expect([folder.workflow, WORKFLOW_IDS[folder.workflow]]).toEqual([folder.workflow, expect.any(Function)]);
});

describe.each(folders.map((f) => [`${f.workflow}/${f.era}`, f] as const))('replay of %s', (_name, folder) => {
  test('given every recorded history, when replayed against the current workflow code, then none is non-deterministic', async () => {
    const histories = loadHistories(folder);
    expect(histories.length).toBeGreaterThan(0);
    const outcomes = await replayEach({ workflowsPath: WORKFLOWS_PATH, bundlerOptions: WORKFLOW_BUNDLER_OPTIONS }, histories);
    expect(outcomes.filter((o) => o.error !== null)).toEqual([]);
  });
});
