/** What the topology tests share: the `aims` command run as a process, and a free range of server ports. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { allPorts } from '../../infra/temporal/temporal-server-config';
import { stopProcess, type EngineProcess } from '../support/engine-processes';
import { freshSchemaName, POSTGRES_URL } from '../support/postgres';

const ROOT = path.resolve(__dirname, '../..');
const TS_REGISTER = path.join(ROOT, 'test/integration/event-store/ts-register.cjs');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A frontend port whose derived service ports (history, matching, worker, membership…) are all free. */
export async function freeServerPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 12_000 + 20 * Math.floor(Math.random() * 1000);
    const checks = await Promise.all(allPorts({ port, metricsPort: 0 }).map(portFree));
    if (checks.every(Boolean)) return port;
  }
  throw new Error('no free range of ports for the Temporal server');
}

/** `aims …` from the TypeScript sources, as an operator runs it. */
export function aims(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', TS_REGISTER, path.join(ROOT, 'apps/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 15 * 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * One cluster's names and folders: a Temporal server (`aims temporal-server`) with its own databases, an
 * evidence-store schema, a task queue; `up()` starts (or restarts) the server, `teardown()` removes all of it.
 */
export class TopologyCluster {
  readonly suffix = `${process.pid}_${Date.now().toString(36)}`;
  readonly temporalDatabase: string;
  readonly schema: string;
  readonly storeUrl: string;
  readonly serverData: string;
  readonly engineData: string;
  private port = 0;
  /** The settings every engine process of this cluster runs with (set by the first up()). */
  env: Record<string, string> = {};

  /** `postgresUrl`: the server for Temporal's databases and the evidence store (the shared one unless a test brings its own). */
  constructor(
    readonly name: string,
    private readonly extraEnv: Record<string, string> = {},
    readonly postgresUrl: string = POSTGRES_URL,
  ) {
    this.temporalDatabase = `aims_${name}_${this.suffix}`;
    this.schema = freshSchemaName(name);
    this.storeUrl = `${postgresUrl}?schema=${this.schema}`;
    this.serverData = fs.mkdtempSync(path.join(os.tmpdir(), `aims-${name}-temporal-`));
    this.engineData = fs.mkdtempSync(path.join(os.tmpdir(), `aims-${name}-engine-`));
  }

  /** `aims temporal-server up` (idempotent: after a kill it starts the server again); the frontend address. */
  async up(): Promise<string> {
    if (this.port === 0) this.port = await freeServerPort();
    const args = [
      '--postgres',
      this.postgresUrl,
      '--data',
      this.serverData,
      '--port',
      String(this.port),
      '--database',
      this.temporalDatabase,
    ];
    const result = aims(['temporal-server', 'up', ...args]);
    if (result.status !== 0)
      throw new Error(`aims temporal-server up failed (${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
    const address = /TEMPORAL_ADDRESS=(\S+)/.exec(result.stdout)?.[1] ?? '';
    this.env = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'default',
      AIMS_TASK_QUEUE: `${this.name}-${this.suffix}`,
      AIMS_EVENT_STORE_URL: this.storeUrl,
      AIMS_DATA_DIR: this.engineData,
      ...this.extraEnv,
    };
    return address;
  }

  async teardown(processes: Array<EngineProcess | undefined>): Promise<void> {
    for (const p of processes) await stopProcess(p);
    aims(['temporal-server', 'down', '--data', this.serverData]);
    const admin = new Client({ connectionString: this.postgresUrl });
    await admin.connect();
    try {
      for (const db of [this.temporalDatabase, `${this.temporalDatabase}_visibility`])
        await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      await admin.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    } finally {
      await admin.end();
    }
    for (const dir of [this.serverData, this.engineData]) fs.rmSync(dir, { recursive: true, force: true });
  }
}
