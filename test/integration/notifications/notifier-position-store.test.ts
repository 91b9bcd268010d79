import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  PostgresNotifierPositionStore,
  SqliteNotifierPositionStore,
  type NotifierPositionStore,
} from '../../../infra/notifications/notifier-position-store';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../../support/postgres';

type Adapter = { name: string; open(): Promise<NotifierPositionStore>; cleanup(): Promise<void> };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-notifier-positions-'));
const schema = freshSchemaName('notifier');

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    open: async () => SqliteNotifierPositionStore.open({ path: path.join(dir, 'evidence.db') }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  },
  {
    name: 'postgres',
    open: () => PostgresNotifierPositionStore.open({ connectionString: POSTGRES_URL, schema }),
    cleanup: () => dropSchema(schema),
  },
];

describe.each(adapters)('notifier positions on $name', (adapter) => {
  afterAll(() => adapter.cleanup());

  it('given a notifier that never ran, when asked, then it has no position; once saved, a reopened store has it', async () => {
    const store = await adapter.open();
    expect(await store.get('notifier')).toBeNull();
    await store.save('notifier', 0);
    await store.save('notifier', 41);
    await store.close();
    const reopened = await adapter.open();
    expect(await reopened.get('notifier')).toBe(41);
    expect(await reopened.get('other')).toBeNull();
    await reopened.close();
  });

  it('given a saved position, when a lower one is saved (a slower second worker), then the position never moves back', async () => {
    const store = await adapter.open();
    await store.save('notifier', 50);
    await store.save('notifier', 45);
    expect(await store.get('notifier')).toBe(50);
    await store.close();
  });
});
