/**
 * Recorded workflow histories, kept as replay fixtures: test/fixtures/histories/<workflow>/<era>/<case>.json.
 * An era is the version of the workflow code that recorded them; every era stays, because workflows that
 * started under it may still be running, and today's code must replay all of them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HISTORY_FIXTURES = path.resolve(__dirname, '../fixtures/histories');

/** The workflows whose histories are recorded (folder name = the workflow's kebab-case name). */
export type RecordedWorkflow = 'ai-system-lifecycle' | 'nonconformity' | 'lifecycle-policy' | 'notification';

/**
 * The era new recordings go to: histories recorded since the engine's nonconformity ids and the input bounds
 * (patches `nonconformity-engine-ids`, `nonconformity-input-bounds`). `runtime` holds the runs before them.
 */
export const RECORDING_ERA = 'engine-ids';

/** Writes a history as a fixture when AIMS_RECORD_HISTORIES=1 (and only then); returns whether it did. */
export function writeHistoryFixture(workflow: RecordedWorkflow, name: string, history: unknown): boolean {
  if (process.env.AIMS_RECORD_HISTORIES !== '1') return false;
  const folder = path.join(HISTORY_FIXTURES, workflow, RECORDING_ERA);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, `${name}.json`), `${JSON.stringify(history)}\n`);
  return true;
}

export interface FixtureFolder {
  workflow: string;
  era: string;
  dir: string;
  files: string[];
}

/** Every <workflow>/<era> folder with its fixture files, sorted. */
export function fixtureFolders(): FixtureFolder[] {
  if (!fs.existsSync(HISTORY_FIXTURES)) return [];
  const folders: FixtureFolder[] = [];
  for (const workflow of fs.readdirSync(HISTORY_FIXTURES).sort()) {
    const workflowDir = path.join(HISTORY_FIXTURES, workflow);
    if (!fs.statSync(workflowDir).isDirectory()) continue;
    for (const era of fs.readdirSync(workflowDir).sort()) {
      const dir = path.join(workflowDir, era);
      if (!fs.statSync(dir).isDirectory()) continue;
      folders.push({
        workflow,
        era,
        dir,
        files: fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .sort(),
      });
    }
  }
  return folders;
}
