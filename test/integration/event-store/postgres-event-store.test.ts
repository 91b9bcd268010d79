import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { decideAppend, validateAppend } from '../../../domain/evidence/evidence-append';
import { EVIDENCE_GENESIS_HASH } from '../../../domain/evidence/evidence-envelope';
import { chainEnvelopes } from '../../../infra/event-store/evidence-hashing';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { postgresAppendLockKey } from '../../../infra/event-store/postgres-event-store';
import { APPEND_LOCK_CLASS, migratePostgres, POSTGRES_MIGRATIONS } from '../../../infra/event-store/postgres-migrations';
import { collect, EventStoreHarness, eventStoreContract, newEvent } from './event-store.contract';
import { chainVerifyContract } from './chain-verify.contract';
import { eventStoreConcurrencyContract } from './event-store-concurrency.contract';
import { eventStoreReadsContract } from './event-store-reads.contract';
import { checkpointReadsContract } from './checkpoint-reads.contract';
import { evidenceTreeContract } from './evidence-tree.contract';

const POSTGRES_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  return client;
}

const newSchemaName = (): string => `aims_evidence_test_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Each harness gets its own schema (so runs and tests never collide), dropped by dispose. */
async function postgresHarness(schema = newSchemaName()): Promise<EventStoreHarness> {
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
    schemaVersions: POSTGRES_MIGRATIONS.map((m) => m.version),
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
eventStoreReadsContract('PostgreSQL', postgresHarness);
eventStoreConcurrencyContract('PostgreSQL', postgresHarness);
chainVerifyContract('PostgreSQL', postgresHarness);
evidenceTreeContract('PostgreSQL', postgresHarness);
checkpointReadsContract('PostgreSQL', postgresHarness);

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

  describe('given a store written under schema version 1 only', () => {
    let schema: string;
    let pool: Pool;
    beforeEach(async () => {
      schema = newSchemaName();
      harness = await postgresHarness(schema);
      pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
    });
    afterEach(() => pool.end());

    /** Appends as version 1 did: decided and hashed by the application, written by evidence_append_if_current. */
    async function appendAsVersion1(
      stream: string,
      count: number,
      tip: { position: number; hash: string } | null,
    ): Promise<{ position: number; hash: string }> {
      const decision = decideAppend(
        validateAppend(
          stream,
          Array.from({ length: count }, () => newEvent()),
        ),
        {
          recordedWithSameIds: [],
          streamRevision: tip ? tip.position - 1 : null,
          chainTip: tip ? { position: tip.position, recordedAt: new Date(0).toISOString() } : null,
          nowMs: Date.now(),
        },
      );
      if (decision.kind !== 'append') throw new Error('expected an append');
      const rows = chainEnvelopes(decision.envelopes, tip?.hash ?? EVIDENCE_GENESIS_HASH);
      const written = await pool.query<{ written: boolean }>(
        `SELECT "${schema}".evidence_append_if_current($1, $2, 'unused', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) AS written`,
        [
          APPEND_LOCK_CLASS,
          postgresAppendLockKey(schema),
          tip?.position ?? 0,
          tip?.hash ?? '',
          [stream],
          [tip ? tip.position - 1 : -1],
          ...(['position', 'id', 'stream', 'revision', 'type', 'recordedAt', 'dataJson', 'metadataJson', 'prevHash', 'hash'] as const).map(
            (k) => rows.map((r) => r[k]),
          ),
        ],
      );
      expect(written.rows[0].written).toBe(true);
      const last = rows[rows.length - 1];
      return { position: last.position, hash: last.hash };
    }

    it('when the store opens, then version 2 is applied, the recorded events and hashes are untouched, and appends continue the chain', async () => {
      // given: version 1 applied, three events recorded by its append
      const client = await pool.connect();
      try {
        expect(await migratePostgres(client, `"${schema}"`, postgresAppendLockKey(schema), POSTGRES_MIGRATIONS.slice(0, 1))).toEqual([1]);
      } finally {
        client.release();
      }
      const tip = await appendAsVersion1('ai-system-1', 2, null);
      await appendAsVersion1('ai-system-1', 1, tip);
      const before = (await pool.query(`SELECT * FROM "${schema}".evidence_events ORDER BY position`)).rows;
      // when
      const store = await harness.open();
      try {
        await store.append('ai-system-1', [newEvent('AiSystemChanged')], { expectedRevision: 2 });
        // then
        const versions = (
          await pool.query<{ version: number }>(`SELECT version FROM "${schema}".evidence_schema_migrations ORDER BY version`)
        ).rows;
        expect(versions.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
        expect((await pool.query(`SELECT * FROM "${schema}".evidence_events WHERE position <= 3 ORDER BY position`)).rows).toEqual(before);
        const events = await collect(store.readStream('ai-system-1'));
        expect(events.map((e) => [e.revision, e.position])).toEqual([
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 4],
        ]);
        expect(events[3].prevHash).toBe(before[2].hash);
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 4 });
      } finally {
        await store.close();
      }
    });

    it("when the migrations run again, or version 2's SQL runs a second time, then nothing changes and appends still work", async () => {
      // given: a migrated store with events
      const store = await harness.open();
      try {
        await store.append('ai-system-1', [newEvent(), newEvent()]);
        const client = await pool.connect();
        try {
          // when
          expect(await migratePostgres(client, `"${schema}"`, postgresAppendLockKey(schema))).toEqual([]);
          await client.query(POSTGRES_MIGRATIONS.find((m) => m.version === 2)!.sql(`"${schema}"`));
        } finally {
          client.release();
        }
        // then
        await store.append('ai-system-1', [newEvent()], { expectedRevision: 1 });
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 3 });
      } finally {
        await store.close();
      }
    });
  });
});
