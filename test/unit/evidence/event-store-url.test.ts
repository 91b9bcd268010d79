import { UnsupportedEventStoreUrlError } from '../../../domain/evidence/evidence-errors';
import { openEventStore, parseEventStoreUrl } from '../../../infra/event-store/open-event-store';

describe('evidence store URL', () => {
  it('given sqlite:<path>, when parsed, then the path is taken as written', () => {
    expect(parseEventStoreUrl('sqlite:./data/evidence.db')).toEqual({ kind: 'sqlite', path: './data/evidence.db' });
    expect(parseEventStoreUrl('sqlite:/var/lib/aims/evidence.db')).toEqual({ kind: 'sqlite', path: '/var/lib/aims/evidence.db' });
  });

  it('given a postgres URL with ?schema=, when parsed, then the schema is taken out and the rest goes to pg', () => {
    expect(parseEventStoreUrl('postgres://aims@db.internal:5432/aims?schema=evidence&sslmode=require')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://aims@db.internal:5432/aims?sslmode=require',
      schema: 'evidence',
    });
    expect(parseEventStoreUrl('postgresql://aims@db:5432/aims')).toMatchObject({ kind: 'postgres', schema: 'public' });
  });

  it('given a postgres URL with ?pool_size=, when parsed, then the size is taken out for the pools and not passed to pg', () => {
    expect(parseEventStoreUrl('postgres://aims@db:5432/aims?schema=aims&pool_size=8&sslmode=require')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://aims@db:5432/aims?sslmode=require',
      schema: 'aims',
      poolSize: 8,
    });
    expect(() => parseEventStoreUrl('postgres://aims@db/aims?pool_size=0')).toThrow(/pool_size must be a whole number from 1 to 100/);
  });

  it.each(['', 'sqlite:', 'sqlite://data/evidence.db', 'mysql://x@y/z', './evidence.db', 'postgres://'])(
    'given %j, when opened, then UnsupportedEventStoreUrlError names the accepted forms',
    async (url) => {
      const error = await openEventStore(url).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnsupportedEventStoreUrlError);
      expect((error as Error).message).toMatch(/Use sqlite:<path>.*or postgres:\/\//);
    },
  );
});
