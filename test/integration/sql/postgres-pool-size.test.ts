/**
 * `pool_size` in AIMS_EVENT_STORE_URL bounds each PostgreSQL pool a process opens (several API and worker
 * processes share one server's max_connections). Counted by the server itself: the URL names the
 * connections (its application_name overrides the stores' own), and pg_stat_activity counts them.
 */
import { randomBytes } from 'node:crypto';
import { UnsupportedEventStoreUrlError } from '../../../domain/evidence/evidence-errors';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { openReadModelStore } from '../../../infra/projections/open-read-model-store';
import { dropSchema, freshSchemaName, POSTGRES_URL, withClient } from '../../support/postgres';

const schema = freshSchemaName('pool_test');

/** Connections the server holds under this application name (unique to one test). */
const connectionsNamed = (name: string): Promise<number> =>
  withClient(async (c) =>
    Number((await c.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [name])).rows[0].n),
  );

function urlFor(name: string, poolSize?: number): string {
  return `${POSTGRES_URL}?schema=${schema}&application_name=${name}${poolSize === undefined ? '' : `&pool_size=${poolSize}`}`;
}

/** Twelve calls at once: a pool opens a connection for each until it reaches its bound. */
const burst = (call: () => Promise<unknown>) => Promise.all(Array.from({ length: 12 }, call));

afterAll(() => dropSchema(schema));

describe('PostgreSQL pool size from the store URL (pool_size)', () => {
  it('given no pool_size, when twelve token checks run at once, then the token pool opens its default four', async () => {
    const name = `aims_pool_${randomBytes(4).toString('hex')}`;
    const tokens = await openTokenStore(urlFor(name));
    await burst(() => tokens.list());
    expect(await connectionsNamed(name)).toBe(4);
    await tokens.close();
  });

  it('given pool_size=2, when the token, read-model and evidence stores each take twelve calls at once, then none holds more than two connections', async () => {
    const evidenceName = `aims_pool_${randomBytes(4).toString('hex')}`;
    const events = await openEventStore(urlFor(evidenceName, 2));
    await burst(() => events.head());
    // the evidence store also keeps one connection for LISTEN
    expect(await connectionsNamed(evidenceName)).toBeLessThanOrEqual(3);

    const tokenName = `aims_pool_${randomBytes(4).toString('hex')}`;
    const tokens = await openTokenStore(urlFor(tokenName, 2));
    await burst(() => tokens.list());
    expect(await connectionsNamed(tokenName)).toBe(2);

    const readModelName = `aims_pool_${randomBytes(4).toString('hex')}`;
    const readModels = await openReadModelStore(urlFor(readModelName, 2));
    await burst(() => readModels.ping());
    expect(await connectionsNamed(readModelName)).toBe(2);

    await readModels.close();
    await tokens.close();
    await events.close();
  });

  it.each(['0', '-1', '2.5', 'ten', '101', ''])(
    'given pool_size=%j, when opened, then the URL is refused and nothing is connected',
    async (size) => {
      const name = `aims_pool_${randomBytes(4).toString('hex')}`;
      const error = await openTokenStore(`${POSTGRES_URL}?schema=${schema}&application_name=${name}&pool_size=${size}`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnsupportedEventStoreUrlError);
      expect((error as Error).message).toMatch(/pool_size must be a whole number from 1 to 100/);
      expect(await connectionsNamed(name)).toBe(0);
    },
  );
});
