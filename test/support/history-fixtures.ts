/**
 * Recorded workflow histories, kept as replay fixtures: test/fixtures/histories/<workflow>/<era>/<case>.json.
 * An era is the version of the workflow code that recorded them; every era stays, because workflows that
 * started under it may still be running, and today's code must replay all of them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HISTORY_FIXTURES = path.resolve(__dirname, '../fixtures/histories');

/** The workflows whose histories are recorded (folder name = the workflow's kebab-case name). */
export type RecordedWorkflow =
  | 'ai-system-lifecycle'
  | 'nonconformity'
  | 'lifecycle-policy'
  | 'notification'
  | 'risk'
  | 'risk-criteria'
  | 'soa'
  | 'document'
  | 'aims-scope'
  | 'aims-context'
  | 'internal-audit'
  | 'improvement'
  | 'audit-programme'
  | 'person'
  | 'people-policy'
  | 'management-review'
  | 'people-identities'
  | 'objective';

/**
 * The era new recordings go to: histories recorded since evidence is appended by a local activity (patch
 * `evidence-appended-by-local-activity`). `engine-ids` holds the runs since the engine's nonconformity ids
 * and the input bounds (patches `nonconformity-engine-ids`, `nonconformity-input-bounds`), `runtime` those
 * before them.
 */
export const RECORDING_ERA = 'local-evidence';

/** Why a recording would overwrite a committed fixture, and how to do it on purpose. */
export class FixtureExistsError extends Error {
  constructor(readonly file: string) {
    super(
      `${path.relative(process.cwd(), file)} already exists: a committed fixture is a recorded history that today's code must ` +
        'still replay, so recording does not overwrite it. Give the new path a new name, or, to replace this history on ' +
        'purpose, record again with AIMS_RERECORD=1 (and review the diff).',
    );
    this.name = 'FixtureExistsError';
  }
}

/**
 * Writes a history as a fixture when AIMS_RECORD_HISTORIES=1 (and only then); returns whether it did.
 * An existing fixture is never overwritten unless AIMS_RERECORD=1 (FixtureExistsError otherwise).
 */
export function writeHistoryFixture(
  workflow: RecordedWorkflow,
  name: string,
  history: unknown,
  root: string = HISTORY_FIXTURES,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.AIMS_RECORD_HISTORIES !== '1') return false;
  const folder = path.join(root, workflow, RECORDING_ERA);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.json`);
  try {
    // 'wx' fails if the file exists, atomically: two recording runs cannot both write it either.
    fs.writeFileSync(file, `${JSON.stringify(history)}\n`, { flag: env.AIMS_RERECORD === '1' ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FixtureExistsError(file);
    throw error;
  }
  return true;
}

export interface FixtureFolder {
  workflow: string;
  era: string;
  dir: string;
  /** The fixtures (`*.json`), sorted. */
  files: string[];
  /** Anything else in the folder (a half-written or misnamed fixture), sorted. */
  strays: string[];
}

/** Every <workflow>/<era> folder with its fixture files, sorted. */
export function fixtureFolders(root: string = HISTORY_FIXTURES): FixtureFolder[] {
  if (!fs.existsSync(root)) return [];
  const folders: FixtureFolder[] = [];
  for (const workflow of fs.readdirSync(root).sort()) {
    const workflowDir = path.join(root, workflow);
    if (!fs.statSync(workflowDir).isDirectory()) continue;
    for (const era of fs.readdirSync(workflowDir).sort()) {
      const dir = path.join(workflowDir, era);
      if (!fs.statSync(dir).isDirectory()) continue;
      const entries = fs.readdirSync(dir).sort();
      folders.push({
        workflow,
        era,
        dir,
        files: entries.filter((f) => f.endsWith('.json')),
        strays: entries.filter((f) => !f.endsWith('.json')),
      });
    }
  }
  return folders;
}
