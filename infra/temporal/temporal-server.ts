/**
 * The Temporal server (not the CLI's dev server) on PostgreSQL, as an organisation runs it, managed from a
 * data folder: `aims temporal-server up|down|status`.
 *
 * `up` builds the server and Temporal's SQL schema tool with Go when they are not cached (the module proxy
 * is reachable here, GitHub releases are not), creates the two databases, sets up or upgrades their schemas
 * with Temporal's own tool (the schemas are embedded in it), writes the config, starts the server detached
 * (its log and pid in the data folder), waits until the frontend answers and registers the namespace.
 * Every step is idempotent, so `up` after an upgrade of the server version upgrades the schemas.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { findGo, goInstallIntoCache, isExecutable, userCacheDir, type GoBinary } from './go-build';
import {
  parsePostgresUrl,
  renderDynamicConfig,
  renderTemporalServerConfig,
  connectHost,
  TEMPORAL_SQL_PASSWORD_ENV,
  type TemporalServerSettings,
} from './temporal-server-config';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const CONFIG_ENV = 'aims';

const BINARIES: readonly GoBinary[] = [
  { package: `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`, builtName: 'server', name: 'temporal-server' },
  { package: `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`, builtName: 'sql', name: 'temporal-sql-tool' },
];

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  source: 'env' | 'cache' | 'go-build';
}

export class TemporalServerError extends Error {
  constructor(
    message: string,
    /** 2: the operator's input or environment is wrong; 1: the server did not come up or went away. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'TemporalServerError';
  }
}

export function temporalServerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir(env, 'temporal-server', TEMPORAL_SERVER_VERSION);
}

/** TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH, else the cache, else a Go build into the cache. */
export async function resolveTemporalServer(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<TemporalServerBinaries> {
  const fromEnv = [env.TEMPORAL_SERVER_PATH?.trim(), env.TEMPORAL_SQL_TOOL_PATH?.trim()];
  if (fromEnv[0] || fromEnv[1]) {
    const [server, sqlTool] = fromEnv;
    if (!server || !sqlTool) throw new TemporalServerError('set both TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH, or neither', 2);
    for (const file of [server, sqlTool]) if (!isExecutable(file)) throw new TemporalServerError(`${file} is not an executable file`, 2);
    return { server, sqlTool, source: 'env' };
  }
  const dir = temporalServerCacheDir(env);
  const [server, sqlTool] = BINARIES.map((b) => path.join(dir, b.name));
  if (isExecutable(server) && isExecutable(sqlTool)) return { server, sqlTool, source: 'cache' };
  const go = findGo(env);
  if (!go) throw new TemporalServerError(`no Temporal server in ${dir} and no Go toolchain to build it (or set TEMPORAL_SERVER_PATH)`, 2);
  await goInstallIntoCache({ go, cacheDir: dir, binaries: BINARIES, env, log, label: 'temporal-server' });
  return { server, sqlTool, source: 'go-build' };
}

/** What `up` remembers in the data folder (never the password). */
export interface TemporalServerState {
  version: string;
  settings: TemporalServerSettings;
  namespace: string;
  pid?: number;
  startedAt?: string;
  logFile: string;
}

export interface TemporalServerPaths {
  dataDir: string;
  stateFile: string;
  configDir: string;
  logFile: string;
}

export function serverPaths(dataDir: string): TemporalServerPaths {
  const dir = path.resolve(dataDir);
  return {
    dataDir: dir,
    stateFile: path.join(dir, 'temporal-server.json'),
    configDir: path.join(dir, 'config'),
    logFile: path.join(dir, 'temporal-server.log'),
  };
}

export function readState(dataDir: string): TemporalServerState | null {
  const file = serverPaths(dataDir).stateFile;
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TemporalServerState;
}

function writeState(dataDir: string, state: TemporalServerState): void {
  const file = serverPaths(dataDir).stateFile;
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

export interface UpOptions {
  dataDir: string;
  postgresUrl: string;
  port: number;
  bindAddress: string;
  metricsPort: number;
  historyShards: number;
  databasePrefix: string;
  namespace: string;
  retentionDays: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** How long to wait for the frontend (default 120 s). */
  timeoutMs?: number;
  /**
   * Keep the server attached (its output on ours, no pid file hand-off): for systemd units and containers,
   * whose supervisor then owns the process. `up` resolves once it serves; `foreground.exited` when it ends.
   */
  foreground?: boolean;
}

export interface UpResult {
  address: string;
  namespace: string;
  pid: number;
  alreadyRunning: boolean;
  schemaVersions: { history: string; visibility: string };
  binaries: TemporalServerBinaries;
  logFile: string;
  foreground?: { exited: Promise<number>; signal(signal: NodeJS.Signals): void };
}

export async function temporalServerUp(options: UpOptions): Promise<UpResult> {
  const { log } = options;
  const paths = serverPaths(options.dataDir);
  fs.mkdirSync(paths.configDir, { recursive: true, mode: 0o700 });
  const { target, password } = parsePostgresUrl(options.postgresUrl);
  const previous = readState(paths.dataDir);
  if (previous && previous.settings.historyShards !== options.historyShards)
    throw new TemporalServerError(
      `this server's schema was set up with ${previous.settings.historyShards} history shards; Temporal cannot change that (asked: ${options.historyShards})`,
      2,
    );
  const settings: TemporalServerSettings = {
    postgres: target,
    databases: { history: options.databasePrefix, visibility: `${options.databasePrefix}_visibility` },
    bindAddress: options.bindAddress,
    port: options.port,
    metricsPort: options.metricsPort,
    historyShards: options.historyShards,
    logLevel: 'warn',
  };
  const address = `${connectHost(settings.bindAddress)}:${settings.port}`;

  if (previous?.pid && processAlive(previous.pid) && (await frontendAnswers(address))) {
    const binaries = await resolveTemporalServer(options.env, log);
    const versions = await schemaVersions(options.postgresUrl, settings);
    log(`already running (pid ${previous.pid}) on ${address}`);
    return {
      address,
      namespace: previous.namespace,
      pid: previous.pid,
      alreadyRunning: true,
      schemaVersions: versions,
      binaries,
      logFile: paths.logFile,
    };
  }

  const binaries = await resolveTemporalServer(options.env, log);
  log(`Temporal server ${TEMPORAL_SERVER_VERSION}: ${binaries.server} (${binaries.source})`);
  await prepareSchemas(binaries.sqlTool, settings, password, options.env, log);
  const schema = await schemaVersions(options.postgresUrl, settings);
  log(`schema versions: history ${schema.history}, visibility ${schema.visibility}`);

  const dynamicConfigFile = path.join(paths.configDir, 'dynamic-config.yaml');
  fs.writeFileSync(path.join(paths.configDir, `${CONFIG_ENV}.yaml`), renderTemporalServerConfig(settings, dynamicConfigFile), {
    mode: 0o600,
  });
  fs.writeFileSync(dynamicConfigFile, renderDynamicConfig(), { mode: 0o600 });

  const logFd = options.foreground ? undefined : fs.openSync(paths.logFile, 'a');
  const child = spawn(binaries.server, ['--root', paths.dataDir, '--config', 'config', '--env', CONFIG_ENV, '--allow-no-auth', 'start'], {
    detached: !options.foreground,
    stdio: logFd === undefined ? 'inherit' : ['ignore', logFd, logFd],
    env: { ...options.env, [TEMPORAL_SQL_PASSWORD_ENV]: password },
  });
  if (logFd !== undefined) fs.closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new TemporalServerError(`could not start ${binaries.server}`);
  let exited: string | undefined;
  const exitCode = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = signal ?? `exit ${code}`;
      resolve(code ?? 1);
    }),
  );
  if (!options.foreground) child.unref();
  writeState(paths.dataDir, {
    version: TEMPORAL_SERVER_VERSION,
    settings,
    namespace: options.namespace,
    pid,
    startedAt: new Date().toISOString(),
    logFile: paths.logFile,
  });
  log(options.foreground ? `started pid ${pid} in the foreground` : `started pid ${pid}; log in ${paths.logFile}`);

  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (!(await frontendAnswers(address))) {
    if (exited)
      throw new TemporalServerError(
        `the server stopped (${exited}) before it answered${options.foreground ? '' : `:\n${logTail(paths.logFile)}`}`,
      );
    if (Date.now() > deadline) throw new TemporalServerError(`the server did not answer on ${address} in time:\n${logTail(paths.logFile)}`);
    await delay(500);
  }
  await ensureNamespace(address, options.namespace, options.retentionDays, deadline, log);
  const foreground = options.foreground ? { exited: exitCode, signal: (signal: NodeJS.Signals) => child.kill(signal) } : undefined;
  return {
    address,
    namespace: options.namespace,
    pid,
    alreadyRunning: false,
    schemaVersions: schema,
    binaries,
    logFile: paths.logFile,
    foreground,
  };
}

export interface DownResult {
  wasRunning: boolean;
  pid?: number;
  /** How it ended: on SIGTERM, or killed when it did not stop in time. */
  how?: 'terminated' | 'killed';
}

export async function temporalServerDown(dataDir: string, graceMs = 30_000): Promise<DownResult> {
  const state = readState(dataDir);
  if (!state?.pid || !processAlive(state.pid) || !isTemporalServer(state.pid)) {
    if (state?.pid) writeState(dataDir, { ...state, pid: undefined });
    return { wasRunning: false };
  }
  const pid = state.pid;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < deadline) await delay(200);
  let how: DownResult['how'] = 'terminated';
  if (processAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    how = 'killed';
    while (processAlive(pid)) await delay(100);
  }
  writeState(dataDir, { ...state, pid: undefined });
  return { wasRunning: true, pid, how };
}

export interface StatusResult {
  configured: boolean;
  running: boolean;
  answering: boolean;
  pid?: number;
  address?: string;
  namespace?: string;
  namespaceRegistered?: boolean;
  version?: string;
  startedAt?: string;
  logFile?: string;
  schemaVersions?: { history: string; visibility: string };
  problems: string[];
}

export async function temporalServerStatus(dataDir: string, postgresUrl?: string): Promise<StatusResult> {
  const state = readState(dataDir);
  if (!state) return { configured: false, running: false, answering: false, problems: [`no server set up in ${path.resolve(dataDir)}`] };
  const problems: string[] = [];
  const address = `${connectHost(state.settings.bindAddress)}:${state.settings.port}`;
  const running = state.pid !== undefined && processAlive(state.pid) && isTemporalServer(state.pid);
  if (!running) problems.push('the server process is not running');
  const answering = await frontendAnswers(address);
  if (running && !answering) problems.push(`the frontend does not answer on ${address}`);
  let namespaceRegistered: boolean | undefined;
  if (answering) {
    namespaceRegistered = await namespaceExists(address, state.namespace);
    if (!namespaceRegistered) problems.push(`namespace ${state.namespace} is not registered`);
  }
  let versions: StatusResult['schemaVersions'];
  if (postgresUrl) {
    try {
      versions = await schemaVersions(postgresUrl, state.settings);
    } catch (error) {
      problems.push(`schema versions unreadable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    configured: true,
    running,
    answering,
    pid: running ? state.pid : undefined,
    address,
    namespace: state.namespace,
    namespaceRegistered,
    version: state.version,
    startedAt: running ? state.startedAt : undefined,
    logFile: state.logFile,
    schemaVersions: versions,
    problems,
  };
}

async function prepareSchemas(
  sqlTool: string,
  settings: TemporalServerSettings,
  password: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  const pg = settings.postgres;
  const base = ['--plugin', 'postgres12', '--endpoint', pg.host, '--port', String(pg.port), '--user', pg.user];
  const run = (database: string, args: string[]) => {
    const result = spawnSync(sqlTool, [...base, '--database', database, ...args], {
      encoding: 'utf8',
      env: { ...env, SQL_PASSWORD: password },
    });
    if (result.status !== 0)
      throw new TemporalServerError(
        `temporal-sql-tool ${args[0]} on ${database} failed:\n${(result.stderr || result.stdout || '').trim()}`,
      );
  };
  for (const [database, schemaName] of [
    [settings.databases.history, 'postgresql/v12/temporal'],
    [settings.databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    const found = await inspectDatabase(settings, password, database);
    if (!found.exists) {
      log(`creating database ${database}`);
      run(database, ['create-database', '--defaultdb', pg.maintenanceDatabase]);
    }
    if (!found.versioned) {
      log(`setting up schema versioning in ${database}`);
      run(database, ['setup-schema', '--version', '0.0']);
    }
    // Upgrades to the newest version the tool embeds; nothing to do when it is there already.
    run(database, ['update-schema', '--schema-name', schemaName]);
  }
}

async function withPg<T>(
  settings: TemporalServerSettings,
  password: string,
  database: string,
  work: (c: PgClient) => Promise<T>,
): Promise<T> {
  const pg = settings.postgres;
  const client = new PgClient({ host: pg.host, port: pg.port, user: pg.user, password, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function inspectDatabase(
  settings: TemporalServerSettings,
  password: string,
  database: string,
): Promise<{ exists: boolean; versioned: boolean }> {
  const exists = await withPg(settings, password, settings.postgres.maintenanceDatabase, async (c) => {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return (r.rowCount ?? 0) > 0;
  });
  if (!exists) return { exists, versioned: false };
  const versioned = await withPg(settings, password, database, async (c) => {
    const r = await c.query(`SELECT to_regclass('public.schema_version') IS NOT NULL AS present`);
    return (r.rows[0] as { present: boolean }).present;
  });
  return { exists, versioned };
}

async function schemaVersions(postgresUrl: string, settings: TemporalServerSettings): Promise<{ history: string; visibility: string }> {
  const { password } = parsePostgresUrl(postgresUrl);
  const read = (database: string) =>
    withPg(settings, password, database, async (c) => {
      const r = await c.query('SELECT curr_version FROM schema_version LIMIT 1');
      return String((r.rows[0] as { curr_version?: string } | undefined)?.curr_version ?? 'none');
    });
  return { history: await read(settings.databases.history), visibility: await read(settings.databases.visibility) };
}

async function ensureNamespace(
  address: string,
  namespace: string,
  retentionDays: number,
  deadline: number,
  log: (l: string) => void,
): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
        description: 'aims: the AI management system engine',
      });
      log(`registered namespace ${namespace} (retention of closed workflows: ${retentionDays} days)`);
    } catch (error) {
      if ((error as { code?: number }).code !== 6 /* ALREADY_EXISTS */) throw error;
    }
    // The frontend learns of a new namespace on its next registry refresh: wait until it serves it.
    for (;;) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new TemporalServerError(`namespace ${namespace} is not served in time: ${String(error)}`);
        await delay(500);
      }
    }
  } finally {
    await connection.close();
  }
}

async function namespaceExists(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: '3 seconds' });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}

export async function frontendAnswers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: '2 seconds' });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against a recycled pid: only a process running our server binary is signalled. */
function isTemporalServer(pid: number): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('temporal-server') || cmdline.includes(`--env\0${CONFIG_ENV}`);
  } catch {
    // No /proc (not Linux): trust the pid file.
    return true;
  }
}

function logTail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
