import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { postgresAppendLockKey } from '../../../infra/event-store/postgres-event-store';
import { APPEND_LOCK_CLASS } from '../../../infra/event-store/postgres-migrations';
import { EventStoreHarness, eventStoreContract, newEvent } from './event-store.contract';

const POSTGRES_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  return client;
}

/** Each harness gets its own schema (so runs and tests never collide), dropped by dispose. */
async function postgresHarness(): Promise<EventStoreHarness> {
  const schema = `aims_evidence_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `${POSTGRES_URL}?schema=${schema}`;
  // pg_locks shows advisory keys as unsigned 32-bit oids.
  const lockKey = postgresAppendLockKey(schema) >>> 0;
  const appendLockHeld = async (client: Client): Promise<boolean> =>
    (
      await client.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 2`,
        [APPEND_LOCK_CLASS, lockKey],
      )
    ).rowCount !== 0;
  return {
    url,
    open: (options) => openEventStore(url, options),
    tamper: async () => {
      const client = await connect();
      await client.query(`SET search_path TO "${schema}"`);
      return {
        execute: async (sql) => void (await client.query(sql)),
        query: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
        dropAppendOnlyTriggers: async () =>
          void (await client.query(
            'DROP TRIGGER evidence_events_refuse_update_delete ON evidence_events; DROP TRIGGER evidence_events_refuse_truncate ON evidence_events;',
          )),
        close: () => client.end(),
      };
    },
    waitUntilWriteLockIsHeld: async (signal) => {
      const client = await connect();
      try {
        while (!signal.aborted && !(await appendLockHeld(client)));
      } finally {
        await client.end();
      }
    },
    waitUntilWriteLockIsFree: async () => {
      const client = await connect();
      try {
        while (await appendLockHeld(client)) await sleep(5);
      } finally {
        await client.end();
      }
    },
    dispose: async () => {
      const client = await connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

eventStoreContract('PostgreSQL', postgresHarness);

describe('PostgreSQL evidence store specifics', () => {
  let harness: EventStoreHarness;
  beforeEach(async () => {
    harness = await postgresHarness();
  });
  afterEach(() => harness.dispose());

  it('given the table, when TRUNCATE is tried directly, then the append-only trigger refuses it', async () => {
    const store = await harness.open();
    await store.append('ai-system-1', [newEvent()]);
    const tamper = await harness.tamper();
    try {
      await expect(tamper.execute('TRUNCATE evidence_events')).rejects.toThrow(/append-only: TRUNCATE refused/);
    } finally {
      await tamper.close();
      await store.close();
    }
  });

  it('given a caught-up subscription polling only every 10 minutes, when another instance appends, then NOTIFY delivers it', async () => {
    // given: a subscription that has read what there was and now waits (its polling cannot fire in this test)
    const listening = await harness.open({ pollIntervalMs: 600_000 });
    const writing = await harness.open();
    try {
      await writing.append('ai-system-1', [newEvent()]);
      const subscription = listening.subscribe();
      const received: number[] = [];
      const consumer = (async () => {
        for await (const event of subscription) {
          received.push(event.position);
          if (received.length === 2) return;
        }
      })();
      while (received.length === 0) await sleep(10);
      // when: another instance appends (repeatedly, as the LISTEN connection comes up in the background)
      while (received.length < 2) {
        await writing.append('ai-system-1', [newEvent()]);
        await sleep(100);
      }
      await consumer;
      // then: the second event arrived without any poll
      expect(received[0]).toBe(1);
      expect(received[1]).toBeGreaterThan(1);
      await subscription.close();
    } finally {
      await Promise.all([listening.close(), writing.close()]);
    }
  });
});
