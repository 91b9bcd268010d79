/**
 * `aims projections rebuild|status`: the read models the API lists from. `rebuild` empties them and
 * refolds the whole evidence from position 0 (here, or in a running API process that holds the projector
 * lease), then reports where it got to. Exit codes: 0 done, 2 an error.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../../infra/config/config';
import { openEventStore } from '../../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { openReadModelStore } from '../../../../infra/projections/open-read-model-store';
import { rebuildProjections } from '../../../../infra/projections/projection-runner';
import { UsageError } from '../usage-error';

export const PROJECTIONS_USAGE = `Usage:
  aims projections rebuild [--store URL] [--json]
  aims projections status [--store URL] [--json]

--store defaults to AIMS_EVENT_STORE_URL (sqlite:<data dir>/evidence.db).`;

export interface ProjectionsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo = (): ProjectionsIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });

async function withStores<T>(url: string | undefined, work: (events: EventStore, readModels: ReadModelStore) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const storeUrl = url ?? config.eventStoreUrl;
  // Projections are rebuilt from the opened view: an erased subject's fields project as "[erased]".
  const events = await openEventStore(storeUrl, { personalData: config.personalData });
  try {
    const readModels = await openReadModelStore(storeUrl);
    try {
      return await work(events, readModels);
    } finally {
      await readModels.close();
    }
  } finally {
    await events.close();
  }
}

export async function projectionsCommand(argv: string[], io: ProjectionsIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { store: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  switch (sub) {
    case 'rebuild': {
      const started = Date.now();
      let lastReport = 0;
      const result = await withStores(values.store, (events, readModels) =>
        rebuildProjections(events, readModels, {
          onProgress: (checkpoint, head) => {
            if (!values.json && Date.now() - lastReport > 2000) {
              lastReport = Date.now();
              io.stderr(`rebuild: at position ${checkpoint} of ${head}\n`);
            }
          },
        }),
      );
      const report = { ...result, seconds: (Date.now() - started) / 1000 };
      if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
      else
        io.stdout(
          `rebuilt the read models from position 0 up to ${result.checkpoint} (head ${result.head}) in ${report.seconds.toFixed(1)} s\n`,
        );
      return 0;
    }
    case 'status': {
      const status = await withStores(values.store, async (events, readModels) => ({
        ...(await readModels.status()),
        head: (await events.head())?.position ?? 0,
      }));
      if (values.json) io.stdout(`${JSON.stringify(status)}\n`);
      else io.stdout(`read models at position ${status.checkpoint} of ${status.head} (${status.fingerprint || 'not built yet'})\n`);
      return 0;
    }
    default:
      throw new UsageError(
        sub === undefined
          ? `projections needs a subcommand\n\n${PROJECTIONS_USAGE}`
          : `unknown projections subcommand "${sub}"\n\n${PROJECTIONS_USAGE}`,
      );
  }
}
