/**
 * Where `npm run bench:api` (the Temporal CLI's dev server, in memory; a SQLite store) and
 * `npm run bench:topology` (the Temporal server v1.29.1 on PostgreSQL, started as `aims temporal-server up`
 * starts it; the PostgreSQL evidence store) run the same scenarios: the server, the store's URL and a
 * client that signs Updates as the API does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client as PgClient } from 'pg';
import { resolveTemporalCli, TEMPORAL_CLI_VERSION } from '../infra/temporal/temporal-cli';
import { temporalServerDown, temporalServerUp, TEMPORAL_SERVER_VERSION } from '../infra/temporal/temporal-server';
import { TEST_SIGNING } from '../test/support/command-keys';
import { freeServerPort } from '../test/topology/topology-support';
import { log } from './bench-report';
import { NAMESPACE } from './api-bench-processes';

export type BenchTarget = 'dev-server' | 'topology';

export interface BenchCluster {
  target: BenchTarget;
  /** For the report's setup line. */
  description: string;
  temporalAddress: string;
  storeUrl: string;
  client: Client;
  teardown(): Promise<void>;
}

/** The Temporal CLI's dev server (in memory) and a SQLite store in `dir`. */
export async function devServerCluster(dir: string): Promise<BenchCluster> {
  const cli = await resolveTemporalCli({ log });
  if (cli.kind !== 'existing-path') throw new Error('the benchmark needs a local Temporal CLI');
  log('starting the Temporal dev server…');
  const env = await TestWorkflowEnvironment.createLocal({
    // Signs Updates and starts as the API does; the worker verifies with the same (bench-only) key.
    client: { interceptors: { workflow: [TEST_SIGNING] } },
    server: { executable: { type: 'existing-path', path: cli.path }, ip: '127.0.0.1', log: { format: 'pretty', level: 'error' } },
  });
  return {
    target: 'dev-server',
    description: `Temporal dev server (CLI ${TEMPORAL_CLI_VERSION}, in-memory); one real SQLite store (evidence, tokens, read models; WAL, synchronous=FULL) in a temp dir`,
    temporalAddress: env.address,
    storeUrl: `sqlite:${path.join(dir, 'evidence.db')}`,
    client: env.client,
    teardown: () => env.teardown(),
  };
}

/**
 * The cluster topology: the Temporal server on PostgreSQL (`temporalServerUp`, as `aims temporal-server up`
 * runs it: its own two databases, 4 history shards) and the PostgreSQL evidence store in a fresh schema of
 * the same PostgreSQL; all of it dropped afterwards.
 */
export async function topologyCluster(postgresUrl: string, runTag: string, poolSize?: string): Promise<BenchCluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-temporal-'));
  const database = `aims_bench_${runTag}`;
  const schema = `aims_bench_${runTag}`;
  const port = await freeServerPort();
  log(`starting the Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL (first use builds it with Go: minutes)…`);
  const up = await temporalServerUp({
    dataDir,
    postgresUrl,
    port,
    bindAddress: '127.0.0.1',
    metricsPort: 0,
    historyShards: 4,
    databasePrefix: database,
    namespace: NAMESPACE,
    retentionDays: 1,
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}${path.delimiter}/usr/local/go/bin` },
    log,
  });
  const connection = await Connection.connect({ address: up.address });
  const client = new Client({ connection, namespace: NAMESPACE, interceptors: { workflow: [TEST_SIGNING] } });
  return {
    target: 'topology',
    description: `the Temporal server ${TEMPORAL_SERVER_VERSION} (not the dev server; \`temporalServerUp\` as \`aims temporal-server up\` runs it, 4 history shards, persistence and visibility on PostgreSQL) and the PostgreSQL evidence store (evidence, tokens, read models; LISTEN/NOTIFY) in a fresh schema, on the same PostgreSQL server on 127.0.0.1${poolSize === undefined ? '' : `; every pool of every process at most ${poolSize} connections (\`pool_size=${poolSize}\`)`}`,
    temporalAddress: up.address,
    storeUrl: `${postgresUrl}?schema=${schema}${poolSize === undefined ? '' : `&pool_size=${poolSize}`}`,
    client,
    teardown: async () => {
      await connection.close();
      await temporalServerDown(dataDir);
      const admin = new PgClient({ connectionString: postgresUrl });
      await admin.connect();
      try {
        for (const db of [database, `${database}_visibility`]) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
