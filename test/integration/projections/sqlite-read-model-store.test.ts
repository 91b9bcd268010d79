import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { openReadModelStore } from '../../../infra/projections/open-read-model-store';
import { readModelStoreContract } from './read-model-store.contract';

readModelStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-projections-'));
  const url = `sqlite:${path.join(dir, 'evidence.db')}`;
  return {
    openEvents: () => openEventStore(url, { pollIntervalMs: 20 }),
    openReadModels: (models) => openReadModelStore(url, models),
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
