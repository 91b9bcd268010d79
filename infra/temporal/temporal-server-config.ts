/**
 * The configuration of a Temporal server (the real one, not the CLI's dev server) on PostgreSQL, as
 * `aims temporal-server up` writes it: one process running frontend, history, matching and worker on the
 * loopback interface (or a chosen address), with the persistence in two PostgreSQL databases.
 *
 * The database password is never written to disk: the file is a Temporal config template (the server
 * renders files that say `enable-template` with Go templates and sprig) that reads it from the
 * environment of the server process.
 */

export const TEMPORAL_SQL_PASSWORD_ENV = 'AIMS_TEMPORAL_SQL_PASSWORD';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  /** Whether a password is set (it is passed in the environment, never in the file). */
  hasPassword: boolean;
  /** The database to connect to while creating the Temporal databases (the URL's own). */
  maintenanceDatabase: string;
}

export interface TemporalServerSettings {
  postgres: PostgresTarget;
  /** Temporal's history database and its visibility database. */
  databases: { history: string; visibility: string };
  /** Address the services listen on. */
  bindAddress: string;
  /** The frontend's gRPC port; the other services' ports follow from it (see servicePorts). */
  port: number;
  /** Prometheus metrics of the server itself (0: none). */
  metricsPort: number;
  /** Fixed when the schema is set up: Temporal cannot change it afterwards. */
  historyShards: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface ServicePorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
}

/**
 * The ports of one server, derived from the frontend's like Temporal's own defaults (7233, 7234, 7235,
 * 7239, 7243; membership 6933…): so two servers on one machine need only different `--port`s, 20 apart.
 */
export function servicePorts(port: number): ServicePorts {
  return {
    frontend: port,
    history: port + 1,
    matching: port + 2,
    worker: port + 6,
    frontendHttp: port + 10,
    frontendMembership: port - 300,
    historyMembership: port - 299,
    matchingMembership: port - 298,
    workerMembership: port - 294,
  };
}

export function allPorts(settings: Pick<TemporalServerSettings, 'port' | 'metricsPort'>): number[] {
  const p = servicePorts(settings.port);
  const ports = [
    p.frontend,
    p.frontendHttp,
    p.history,
    p.matching,
    p.worker,
    p.frontendMembership,
    p.historyMembership,
    p.matchingMembership,
    p.workerMembership,
  ];
  return settings.metricsPort > 0 ? [...ports, settings.metricsPort] : ports;
}

/** The address to reach a server bound to `bindAddress` (a wildcard bind is reached on loopback). */
export function connectHost(bindAddress: string): string {
  return bindAddress === '0.0.0.0' || bindAddress === '::' ? '127.0.0.1' : bindAddress;
}

/** YAML scalars we write are quoted JSON strings, which YAML reads as the same string. */
const q = (value: string) => JSON.stringify(value);

export function renderTemporalServerConfig(settings: TemporalServerSettings, dynamicConfigFile: string): string {
  const p = servicePorts(settings.port);
  const pg = settings.postgres;
  const password = pg.hasPassword ? `{{ env ${q(TEMPORAL_SQL_PASSWORD_ENV)} | quote }}` : '""';
  const datastore = (database: string, maxConns: number) => [
    `      sql:`,
    `        pluginName: "postgres12"`,
    `        databaseName: ${q(database)}`,
    `        connectAddr: ${q(`${pg.host}:${pg.port}`)}`,
    `        connectProtocol: "tcp"`,
    `        user: ${q(pg.user)}`,
    `        password: ${password}`,
    `        maxConns: ${maxConns}`,
    `        maxIdleConns: ${maxConns}`,
    `        maxConnLifetime: "1h"`,
  ];
  const service = (name: string, grpc: number, membership: number, http?: number) => [
    `  ${name}:`,
    `    rpc:`,
    `      grpcPort: ${grpc}`,
    `      membershipPort: ${membership}`,
    `      bindOnIP: ${q(settings.bindAddress)}`,
    ...(http !== undefined ? [`      httpPort: ${http}`] : []),
  ];
  const broadcast = connectHost(settings.bindAddress);
  return [
    `# Written by aims temporal-server up; enable-template (the password comes from ${TEMPORAL_SQL_PASSWORD_ENV}).`,
    `log:`,
    `  stdout: true`,
    `  level: ${q(settings.logLevel)}`,
    `persistence:`,
    `  defaultStore: "postgres-default"`,
    `  visibilityStore: "postgres-visibility"`,
    `  numHistoryShards: ${settings.historyShards}`,
    `  datastores:`,
    `    postgres-default:`,
    ...datastore(settings.databases.history, 20),
    `    postgres-visibility:`,
    ...datastore(settings.databases.visibility, 4),
    `global:`,
    `  membership:`,
    `    maxJoinDuration: "30s"`,
    `    broadcastAddress: ${q(broadcast)}`,
    ...(settings.metricsPort > 0
      ? [
          `  metrics:`,
          `    prometheus:`,
          `      framework: "tally"`,
          `      timerType: "histogram"`,
          `      listenAddress: ${q(`${broadcast}:${settings.metricsPort}`)}`,
        ]
      : []),
    `services:`,
    ...service('frontend', p.frontend, p.frontendMembership, p.frontendHttp),
    ...service('history', p.history, p.historyMembership),
    ...service('matching', p.matching, p.matchingMembership),
    ...service('worker', p.worker, p.workerMembership),
    `clusterMetadata:`,
    `  enableGlobalNamespace: false`,
    `  failoverVersionIncrement: 10`,
    `  masterClusterName: "active"`,
    `  currentClusterName: "active"`,
    `  clusterInformation:`,
    `    active:`,
    `      enabled: true`,
    `      initialFailoverVersion: 1`,
    `      rpcName: "frontend"`,
    `      rpcAddress: ${q(`${broadcast}:${p.frontend}`)}`,
    `dcRedirectionPolicy:`,
    `  policy: "noop"`,
    `dynamicConfigClient:`,
    `  filepath: ${q(dynamicConfigFile)}`,
    `  pollInterval: "10s"`,
    ``,
  ].join('\n');
}

/**
 * Dynamic settings the operator may tune while the server runs (it reads the file every 10 s). We state the
 * ones the engine depends on (Updates, update-with-start), though they are Temporal's defaults, so that a
 * change of default in a later server is seen here first.
 */
export function renderDynamicConfig(): string {
  return [
    `frontend.enableExecuteMultiOperation:`,
    `  - value: true`,
    `frontend.enableUpdateWorkflowExecution:`,
    `  - value: true`,
    `frontend.enableUpdateWorkflowExecutionAsyncAccepted:`,
    `  - value: true`,
    ``,
  ].join('\n');
}

export class InvalidPostgresUrlError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`not a usable PostgreSQL URL (${reason}): expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`);
    this.name = 'InvalidPostgresUrlError';
  }
}

/** Splits a postgres:// URL into what Temporal's config and schema tool take; the password separately. */
export function parsePostgresUrl(raw: string): { target: PostgresTarget; password: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidPostgresUrlError(raw, 'not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new InvalidPostgresUrlError(raw, `scheme ${url.protocol}`);
  if (!url.hostname) throw new InvalidPostgresUrlError(raw, 'no host');
  const user = decodeURIComponent(url.username);
  if (!user) throw new InvalidPostgresUrlError(raw, 'no user');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const port = url.port ? Number(url.port) : 5432;
  const password = decodeURIComponent(url.password);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { target: { host, port, user, hasPassword: password !== '', maintenanceDatabase: database }, password };
}
