/**
 * The replay guard catches what it is there for. Each case bundles the real workflows the way the replay
 * test does, except for one deliberate, non-deterministic change made to a copy of one source file while
 * bundling (workflow-change-loader.cjs; nothing outside test/ changes), and replays the committed fixtures
 * against it: the fixtures whose recorded commands the change moves must fail as non-deterministic, and
 * the others must still replay (the failure is the change's, not the bundling's).
 */
import * as path from 'node:path';
import { DefaultLogger, Runtime, type ReplayWorkerOptions } from '@temporalio/worker';
import { fixtureFolders } from '../../support/history-fixtures';
import { loadHistories, replayEach, WORKFLOWS_PATH, type FixtureHistory } from './replay-support';

const LOADER = path.resolve(__dirname, 'workflow-change-loader.cjs');
const WORKFLOWS_DIR = path.dirname(WORKFLOWS_PATH);

/** The part of webpack's compiler the error collector uses (the SDK bundles with a webpack of its own). */
interface BundlerCompiler {
  hooks: { done: { tap(name: string, run: (stats: { compilation: { errors: { message: string }[] } }) => void): void } };
}

interface DeliberateChange {
  name: string;
  /** The workflow source file the copy is made of. */
  file: string;
  find: string;
  replace: string;
}

/**
 * The real workflows' bundle, but with `change` applied to a copy of its file as it is bundled; the
 * bundler's errors, if any, are added to `bundleErrors`.
 */
function bundledWith(change: DeliberateChange, bundleErrors: string[] = []): ReplayWorkerOptions {
  return {
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: {
      webpackConfigHook: (config) => ({
        ...config,
        plugins: [
          ...(config.plugins ?? []),
          {
            apply: (compiler: BundlerCompiler) =>
              compiler.hooks.done.tap('collect-bundle-errors', (stats) => {
                bundleErrors.push(...stats.compilation.errors.map((e) => e.message));
              }),
          },
        ],
        module: {
          ...config.module,
          rules: [
            ...(config.module?.rules ?? []),
            // 'pre': the change is made to the TypeScript source, before it is compiled.
            { test: (resource: string) => resource === change.file, enforce: 'pre', use: [{ loader: LOADER, options: change }] },
          ],
        },
      }),
    },
  };
}

function fixtures(workflows: string[]): FixtureHistory[] {
  return fixtureFolders()
    .filter((f) => workflows.includes(f.workflow))
    .flatMap(loadHistories);
}

beforeAll(() => {
  // Every failing replay logs its non-determinism as a warning: expected here, so only errors show.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
});

/** Replays under the change and sorts the outcomes: which fixtures failed, and that each failure is non-determinism. */
async function replayUnder(change: DeliberateChange, histories: FixtureHistory[]): Promise<{ failed: string[]; replayed: string[] }> {
  const outcomes = await replayEach(bundledWith(change), histories);
  const failed = outcomes.filter((o) => o.error !== null);
  expect(failed.map((o) => [o.name, o.error?.name])).toEqual(failed.map((o) => [o.name, 'DeterminismViolationError']));
  return { failed: failed.map((o) => o.name).sort(), replayed: outcomes.filter((o) => o.error === null).map((o) => o.name) };
}

test('given a copy of the lifecycle that calls one more activity before it starts keeping time, when the lifecycle fixtures are replayed against it, then every one fails as non-deterministic', async () => {
  const histories = fixtures(['ai-system-lifecycle']);
  const change: DeliberateChange = {
    name: 'an extra activity call',
    file: path.join(WORKFLOWS_DIR, 'ai-system-lifecycle.workflow.ts'),
    find: '  if (registering !== null) await tellScopeOfRegistration(await registering);\n  const ending = await p.keepTime({',
    replace:
      "  await checkAcceptanceCriteria({ systemId, validationId: 'extra', criteria: [], metrics: [] });\n" +
      '  if (registering !== null) await tellScopeOfRegistration(await registering);\n  const ending = await p.keepTime({',
  };
  const { failed, replayed } = await replayUnder(change, histories);
  expect(replayed).toEqual([]);
  expect(failed).toEqual(histories.map((h) => h.name).sort());
});

test('given a copy of the runtime that arms the next timer before it takes the due step, when every fixture is replayed against it, then each run whose recorded order that changes fails as non-deterministic and the others replay', async () => {
  const histories = fixtures(['ai-system-lifecycle', 'nonconformity', 'lifecycle-policy']);
  const change: DeliberateChange = {
    name: 'a reordered timer',
    file: path.join(WORKFLOWS_DIR, 'runtime', 'process.ts'),
    find:
      '      if (await condition(interrupted, Math.max(next.at - Date.now(), 1), { summary: next.summary })) continue;\n' +
      '      await queue(() => takeDueSteps(rules));\n',
    replace:
      '      const timer = condition(interrupted, Math.max(next.at - Date.now(), 1), { summary: next.summary });\n' +
      '      await queue(() => takeDueSteps(rules));\n' +
      '      if (await timer) continue;\n',
  };
  const { failed, replayed } = await replayUnder(change, histories);
  // The runs in which a follow-up timer fired and the due step followed: the copy starts the next timer
  // before that step's activity, where the history has the activity first. Not among them: runs without a
  // fired timer; nonconformity runs from before the runtime's timers (their legacy loop is not changed);
  // and nonconformity continued-as-new-run-4, whose only timer was a 1 ms one for a follow-up already due
  // when the run began (timer, then step, in either order of the code).
  const eras = (workflow: string, names: string[], inEras: string[]) =>
    inEras.flatMap((era) => names.map((n) => `${workflow}/${era}/${n}`));
  const expected = [
    ...eras('ai-system-lifecycle', ['monitoring-review-due', 'overdue-reminder-escalation'], ['before-runtime', 'engine-ids', 'runtime']),
    ...eras(
      'nonconformity',
      [
        'breach-to-closure',
        'closure-tells-lifecycle',
        'overdue-escalated',
        'plan-rejected-then-approved',
        'refused-updates',
        'reopened-then-closed',
      ],
      ['engine-ids', 'runtime'],
    ),
  ].sort();
  expect(failed).toEqual(expected);
  expect(replayed).toHaveLength(histories.length - expected.length);
});

test('given a change whose anchor is no longer in the workflow code, when the copy is bundled, then the bundling fails saying so rather than replaying the unchanged code', async () => {
  const change: DeliberateChange = {
    name: 'a change of code that is gone',
    file: path.join(WORKFLOWS_DIR, 'ai-system-lifecycle.workflow.ts'),
    find: '  await noSuchStep();\n',
    replace: '',
  };
  const bundleErrors: string[] = [];
  await expect(replayEach(bundledWith(change, bundleErrors), fixtures(['ai-system-lifecycle']).slice(0, 1))).rejects.toThrow(
    /Webpack finished with errors/,
  );
  expect(bundleErrors).toEqual([expect.stringMatching(/the deliberate change "a change of code that is gone" no longer applies/)]);
});
