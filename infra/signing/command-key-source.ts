/**
 * Where the command keys come from: `AIMS_COMMAND_KEYS` when set (production: the API's and the worker's
 * hosts get the same value from the operator's secret store), else a key made once for this data folder
 * (`<AIMS_DATA_DIR>/command-keys`, readable by its owner only), which the embedded engine's API and worker
 * share because they share the folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newCommandKey, parseCommandKeys, type CommandKeyRing } from './command-keys';

export const COMMAND_KEYS_FILE = 'command-keys';

export function loadCommandKeys(options: { keys: string | undefined; dataDir: string }): CommandKeyRing {
  if (options.keys !== undefined && options.keys.trim() !== '') return parseCommandKeys(options.keys);
  const file = path.join(options.dataDir, COMMAND_KEYS_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    // Written aside, then linked into place (which fails if it exists): when the API and the worker start
    // together, one key wins and neither ever reads a half-written file.
    const aside = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(aside, `${newCommandKey('local-1')}\n`, { mode: 0o600 });
    try {
      fs.linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(aside, { force: true });
    }
  }
  return parseCommandKeys(fs.readFileSync(file, 'utf8'));
}
