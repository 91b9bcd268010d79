/**
 * The engine's configuration, read from the environment once at start-up and validated as a whole, so a
 * mistake is reported with every other mistake, by variable name, before anything starts.
 */
import { parseCommandKeys } from '../signing/command-keys';
import { EFFECTIVENESS_REVIEW_DELAY_MIN, reviewDelayIssue } from '../../domain/nonconformity/bounds';
import { parseFixedDuration } from '../../domain/shared/iso-time';
import * as path from 'node:path';
import { isAimsRole, type AimsRole } from '../../domain/shared/roles';
import { parseWitnessKey } from '../event-store/cosignature';
import { EDGE_CONFIG_VARIABLES, readEdgeConfig, type EdgeConfig } from './edge-config';
import { isLoopbackHost } from './loopback';
import { METRICS_CONFIG_VARIABLES, readMetricsConfig, type MetricsConfig } from './metrics-config';
import { NOTIFICATION_CONFIG_VARIABLES, readNotificationConfig, type NotificationConfig } from './notification-config';
import { OIDC_CONFIG_VARIABLES, readOidcConfig, type OidcConfig } from './oidc-config';

export { isLoopbackHost } from './loopback';
export type { OidcConfig } from './oidc-config';

export interface TemporalTlsConfig {
  serverNameOverride?: string;
  serverRootCaCertPath?: string;
  clientCertPath?: string;
  clientKeyPath?: string;
}

export interface TemporalConfig {
  /** host:port of an existing cluster; undefined means: run the embedded dev server. */
  address?: string;
  namespace: string;
  taskQueue: string;
  tls?: TemporalTlsConfig | true;
  apiKey?: string;
  /** Embedded dev server ports (used only when `address` is not set). */
  devServerPort: number;
  devServerUiPort: number;
  /**
   * How many workflows the worker keeps in its sticky cache. Each open workflow costs memory there, so
   * this bounds the worker's memory however many AI systems are open; an evicted workflow is rebuilt by
   * replaying its (continue-as-new-bounded) history on its next task.
   */
  workerMaxCachedWorkflows: number;
}

/** SSO: bearer JWTs signed by an identity provider whose keys are published at a JWKS URL. */
export interface JwtAuthConfig {
  jwksUrl: string;
  /** Exact `iss` a token must carry. */
  issuer: string;
  /** `aud` a token must carry (or contain, when it is a list). */
  audience: string;
  /** Claim holding the caller's roles (a list or a space-separated string); dots reach into nested objects only. */
  rolesClaim: string;
  /**
   * An IdP role `<prefix><aims role>` grants that AIMS role (default `aims:`, so `aims:approver` grants
   * approver and a bare `admin` grants nothing); null: only the explicit map grants.
   */
  rolePrefix: string | null;
  /** IdP role → the AIMS roles it grants, besides the prefix. */
  roleMap: Readonly<Record<string, readonly AimsRole[]>>;
}

export interface AuthConfig {
  /** null: only API tokens (`aims tokens create`) are accepted. */
  jwt: JwtAuthConfig | null;
  /** Console sign-in with the identity provider (oidc-config.ts); null: the console takes pasted tokens only. */
  oidc: OidcConfig | null;
}

export interface AimsConfig {
  dataDir: string;
  eventStoreUrl: string;
  /** Migrate the evidence store's schema on start (false: only check it is current; docs/database-roles.md). */
  eventStoreMigrate: boolean;
  api: { host: string; port: number };
  auth: AuthConfig;
  /** The HTTP edge: client addresses behind proxies, throttling, HSTS (edge-config.ts). */
  edge: EdgeConfig;
  /** Prometheus endpoints (metrics-config.ts). */
  metrics: MetricsConfig;
  temporal: TemporalConfig;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  logFormat: 'text' | 'json';
  /** Command signing (infra/signing): the keys' text (unset: a key made once in the data folder) and the accepted age. */
  commands: { keys: string | undefined; maxAgeMs: number };
  /** The shortest effectiveness-review delay a person may choose (the domain's bounds: 1 s to 2 years). */
  nonconformities: { minReviewDelayMs: number };
  /** Signed checkpoints of the evidence tree (infra/event-store/evidence-checkpoints.ts). */
  checkpoints: CheckpointConfig;
  /** Who is told what, and how (notification-config.ts). */
  notifications: NotificationConfig;
  /**
   * Crypto-shredding of personal data in the evidence (docs/personal-data.md): the key-encryption key's
   * text (AIMS_PERSONAL_DATA_KEY) or file (AIMS_PERSONAL_DATA_KEY_FILE); unset: personal fields are stored
   * in clear, as before.
   */
  personalData: { key?: string; keyFile?: string };
}

export interface CheckpointConfig {
  /** The log's origin line in every checkpoint (C2SP tlog-checkpoint). */
  origin: string;
  /** Signer key text (AIMS_CHECKPOINT_KEY) or the file holding it (AIMS_CHECKPOINT_KEY_FILE); never in the database. */
  signerKey: { text: string } | { file: string } | undefined;
  /** Verifier keys (name+hash+base64) whose checkpoints verify trusts; the signer's own is added when set. */
  verifierKeys: string[];
  /** The worker signs a checkpoint after this many new events or this long, whichever comes first. */
  everyEvents: number;
  everyMs: number;
  /** AIMS_WITNESS_KEYS: witness vkeys (C2SP tlog-cosignature, type 0x04) whose cosignatures are accepted (none when absent). */
  witnessKeys?: string[];
  /** AIMS_EVIDENCE_TLOG_PUBLIC: the tlog checkpoint and hash tiles need no token (entry bundles always do). */
  tlogPublic?: boolean;
}

export interface ConfigProblem {
  variable: string;
  value: string | undefined;
  problem: string;
}

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems
        .map((p) => `  - ${p.variable}${p.value === undefined ? '' : `=${JSON.stringify(p.value)}`}: ${p.problem}`)
        .join('\n')}`,
    );
    this.name = 'InvalidConfigurationError';
  }
}

/** Every variable the engine reads, with its default and meaning; the README's table is generated from it. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  {
    name: 'AIMS_LOG_ORIGIN',
    default: 'aims.local/evidence',
    meaning:
      "The evidence log's name: the origin line of its signed checkpoints (C2SP tlog-checkpoint); use a name unique to the deployment.",
  },
  {
    name: 'AIMS_PERSONAL_DATA_KEY_FILE',
    default: '(unset)',
    meaning:
      "File holding the 32-byte key (base64) that wraps each data subject's key; set, personal fields in new evidence are stored encrypted and erasable (`aims evidence erase-subject`). Never stored in the database.",
  },
  {
    name: 'AIMS_PERSONAL_DATA_KEY',
    default: '(unset)',
    meaning: 'The personal-data key itself (base64 of 32 bytes), instead of the file.',
  },
  {
    name: 'AIMS_CHECKPOINT_KEY_FILE',
    default: '(unset)',
    meaning: 'File holding the Ed25519 signer key for checkpoints (`aims keys generate` writes it). Never stored in the database.',
  },
  {
    name: 'AIMS_CHECKPOINT_KEY',
    default: '(unset)',
    meaning: 'The checkpoint signer key itself (PRIVATE+KEY+name+hash+base64), instead of AIMS_CHECKPOINT_KEY_FILE.',
  },
  {
    name: 'AIMS_CHECKPOINT_EVERY_EVENTS',
    default: '1000',
    meaning: 'With a signer key, the worker signs a checkpoint once this many events were appended since the last one…',
  },
  {
    name: 'AIMS_CHECKPOINT_EVERY_SECONDS',
    default: '300',
    meaning: '…or once this many seconds passed, if any event was appended since (whichever comes first).',
  },
  {
    name: 'AIMS_CHECKPOINT_VERIFIER_KEYS',
    default: '(unset)',
    meaning:
      "Verifier keys (name+hash+base64, separated by spaces or commas) whose checkpoints `aims evidence verify` trusts; the signer's own key is trusted too.",
  },
  {
    name: 'AIMS_WITNESS_KEYS',
    default: '(unset)',
    meaning:
      'Witness keys (C2SP tlog-cosignature vkeys `name+hash+base64(0x04 ‖ key)`, space- or comma-separated) whose cosignatures of checkpoints are accepted and reported.',
  },
  {
    name: 'AIMS_EVIDENCE_TLOG_PUBLIC',
    default: 'false',
    meaning:
      '`true`: /v1/evidence/tlog/checkpoint and the hash tiles are served without a token (they hold hashes only); entry bundles, which hold the events, always need an audit reader.',
  },
  {
    name: 'AIMS_DATA_DIR',
    default: './data',
    meaning: 'Folder for the embedded stores (evidence SQLite file, Temporal dev-server SQLite file).',
  },
  {
    name: 'AIMS_EVENT_STORE_URL',
    default: 'sqlite:<AIMS_DATA_DIR>/evidence.db',
    meaning:
      "Evidence store: `sqlite:<path>` or `postgres://user@host:port/db[?schema=s&pool_size=n]` (tables in schema s; at most n connections in each of the process's pools).",
  },
  {
    name: 'AIMS_EVENT_STORE_MIGRATE',
    default: 'true',
    meaning:
      "`false`: the API and worker never change the evidence schema, they check it is current and refuse to start otherwise (when their role is not the tables' owner: docs/database-roles.md).",
  },
  { name: 'AIMS_API_HOST', default: '127.0.0.1', meaning: 'Interface the HTTP API listens on.' },
  { name: 'AIMS_API_PORT', default: '3000', meaning: 'Port of the HTTP API.' },
  { name: 'AIMS_LOG_LEVEL', default: 'info', meaning: 'error, warn, info or debug.' },
  {
    name: 'AIMS_LOG_FORMAT',
    default: 'text',
    meaning:
      '`json`: the API and the worker log one JSON object per line (the API with `requestId` on each request line; the worker with the workflow id, activity and `httpRequestId` of each step it records), for a log pipeline; `text`: for people.',
  },
  {
    name: 'AIMS_JWT_JWKS_URL',
    default: '(unset: API tokens only)',
    meaning:
      "https URL of the identity provider's JWKS (http only to a loopback host); when set, RS256/ES256 bearer JWTs are accepted besides API tokens (needs AIMS_JWT_ISSUER and AIMS_JWT_AUDIENCE).",
  },
  { name: 'AIMS_JWT_ISSUER', default: '', meaning: 'The `iss` every accepted JWT must carry.' },
  { name: 'AIMS_JWT_AUDIENCE', default: '', meaning: 'The `aud` every accepted JWT must carry (or contain).' },
  {
    name: 'AIMS_JWT_ROLES_CLAIM',
    default: 'roles',
    meaning:
      "JWT claim with the caller's roles (list or space-separated); dots reach into nested objects, e.g. `realm_access.roles` (never a top-level claim whose name has dots).",
  },
  {
    name: 'AIMS_JWT_ROLE_PREFIX',
    default: 'aims:',
    meaning:
      'An IdP role `<prefix><role>` grants that AIMS role (`aims:approver` grants approver; a bare `admin` grants nothing). `none`: only AIMS_JWT_ROLE_MAP grants.',
  },
  {
    name: 'AIMS_JWT_ROLE_MAP',
    default: '(unset)',
    meaning: 'Explicit IdP role → AIMS role pairs, `idp-role=aims-role[,…]` (repeat an IdP role to grant several), besides the prefix.',
  },
  ...OIDC_CONFIG_VARIABLES,
  {
    name: 'TEMPORAL_ADDRESS',
    default: '(unset: embedded dev server)',
    meaning: 'host:port of an existing Temporal cluster; when set, no embedded server starts.',
  },
  { name: 'TEMPORAL_NAMESPACE', default: 'default', meaning: 'Temporal namespace.' },
  { name: 'AIMS_TASK_QUEUE', default: 'aims', meaning: 'Task queue the worker polls and the API starts workflows on.' },
  { name: 'TEMPORAL_TLS', default: 'false', meaning: '`true` to use TLS with the system CA store (implied by any TLS path below).' },
  { name: 'TEMPORAL_TLS_CA_PATH', default: '', meaning: 'PEM file of the CA that signed the server certificate.' },
  { name: 'TEMPORAL_TLS_CERT_PATH', default: '', meaning: 'PEM client certificate for mTLS (needs TEMPORAL_TLS_KEY_PATH).' },
  { name: 'TEMPORAL_TLS_KEY_PATH', default: '', meaning: 'PEM client key for mTLS (needs TEMPORAL_TLS_CERT_PATH).' },
  { name: 'TEMPORAL_TLS_SERVER_NAME', default: '', meaning: 'Override of the server name checked in its certificate.' },
  { name: 'TEMPORAL_API_KEY', default: '', meaning: 'API key for Temporal Cloud (implies TLS).' },
  {
    name: 'AIMS_COMMAND_KEYS',
    default: '(unset: a key made once in <AIMS_DATA_DIR>/command-keys)',
    meaning:
      'Keys that sign and verify commands, `<keyId>:<base64url secret of 32+ bytes>[,…]`: the first signs (API, CLI), all verify (worker). Set the same value on the API and the worker; Temporal never sees it.',
  },
  {
    name: 'AIMS_COMMAND_MAX_AGE_SECONDS',
    default: '600',
    meaning:
      'How old a signed command may be when its workflow accepts it; older ones are refused (a captured command cannot be replayed later).',
  },
  {
    name: 'AIMS_WORKER_MAX_CACHED_WORKFLOWS',
    default: '500',
    meaning: 'Open workflows the worker keeps cached; bounds its memory however many AI systems are open.',
  },
  {
    name: 'AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY',
    default: EFFECTIVENESS_REVIEW_DELAY_MIN,
    meaning:
      'Shortest effectiveness-review delay a nonconformity may be raised with (ISO 8601, PT1S to P730D). Lower it only for tests and demos: a shorter one makes the review immediate.',
  },
  ...EDGE_CONFIG_VARIABLES,
  ...METRICS_CONFIG_VARIABLES,
  ...NOTIFICATION_CONFIG_VARIABLES,
  { name: 'AIMS_TEMPORAL_PORT', default: '7233', meaning: 'gRPC port of the embedded dev server.' },
  { name: 'AIMS_TEMPORAL_UI_PORT', default: '8233', meaning: 'Web UI port of the embedded dev server.' },
  {
    name: 'TEMPORAL_CLI_PATH',
    default: '',
    meaning: 'Temporal CLI binary to run the embedded dev server; otherwise found on PATH, in the cache, or built with Go.',
  },
];

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: ConfigProblem[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > 65535) {
    problems.push({ variable: name, value: raw, problem: 'must be a whole number from 1 to 65535' });
    return fallback;
  }
  return value;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

const ROLES_CLAIM = /^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/;
const IDP_ROLE = /^[^\s,=]{1,256}$/;

function readRoleMapping(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): Pick<JwtAuthConfig, 'rolePrefix' | 'roleMap'> {
  const prefixRaw = nonEmpty(env, 'AIMS_JWT_ROLE_PREFIX') ?? 'aims:';
  let rolePrefix: string | null = prefixRaw === 'none' ? null : prefixRaw;
  if (rolePrefix !== null && !IDP_ROLE.test(rolePrefix)) {
    problems.push({
      variable: 'AIMS_JWT_ROLE_PREFIX',
      value: prefixRaw,
      problem: 'must be 1-256 characters without spaces, "," or "=", or none',
    });
    rolePrefix = 'aims:';
  }
  const roleMap: Record<string, AimsRole[]> = {};
  const mapRaw = nonEmpty(env, 'AIMS_JWT_ROLE_MAP');
  for (const pair of mapRaw === undefined ? [] : mapRaw.split(',')) {
    const [idpRole, aimsRole, ...extra] = pair.trim().split('=');
    if (extra.length > 0 || idpRole === undefined || !IDP_ROLE.test(idpRole) || aimsRole === undefined || !isAimsRole(aimsRole)) {
      problems.push({
        variable: 'AIMS_JWT_ROLE_MAP',
        value: mapRaw,
        problem: `"${pair.trim()}" is not idp-role=aims-role with an AIMS role`,
      });
      continue;
    }
    // Own properties only: an IdP role named `__proto__` or `constructor` must not reach Object.prototype.
    const granted = Object.prototype.hasOwnProperty.call(roleMap, idpRole) ? roleMap[idpRole] : [];
    Object.defineProperty(roleMap, idpRole, { value: [...new Set([...granted, aimsRole])], enumerable: true, writable: true });
  }
  return { rolePrefix, roleMap };
}

/** JWT validation is all or nothing: a JWKS URL without an issuer and audience would accept any token the IdP signs. */
function readJwtConfig(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): JwtAuthConfig | null {
  const jwksUrl = nonEmpty(env, 'AIMS_JWT_JWKS_URL');
  const issuer = nonEmpty(env, 'AIMS_JWT_ISSUER');
  const audience = nonEmpty(env, 'AIMS_JWT_AUDIENCE');
  const rolesClaim = nonEmpty(env, 'AIMS_JWT_ROLES_CLAIM') ?? 'roles';
  if (!ROLES_CLAIM.test(rolesClaim)) {
    problems.push({
      variable: 'AIMS_JWT_ROLES_CLAIM',
      value: rolesClaim,
      problem: 'must be a claim name or a dotted path, e.g. roles or realm_access.roles',
    });
  }
  if (jwksUrl === undefined) {
    for (const [variable, value] of [
      ['AIMS_JWT_ISSUER', issuer],
      ['AIMS_JWT_AUDIENCE', audience],
    ] as const) {
      if (value !== undefined) problems.push({ variable, value, problem: 'applies to JWT validation: set AIMS_JWT_JWKS_URL too' });
    }
    return null;
  }
  let url: URL | undefined;
  try {
    url = new URL(jwksUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    problems.push({
      variable: 'AIMS_JWT_JWKS_URL',
      value: jwksUrl,
      problem: 'must be an http(s) URL, e.g. https://idp.example.com/.well-known/jwks.json',
    });
  } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    // Whoever can alter the JWKS on the way can mint any identity.
    problems.push({ variable: 'AIMS_JWT_JWKS_URL', value: jwksUrl, problem: 'must be https (plain http only to a loopback host)' });
  }
  if (issuer === undefined)
    problems.push({ variable: 'AIMS_JWT_ISSUER', value: undefined, problem: 'is required when AIMS_JWT_JWKS_URL is set' });
  if (audience === undefined)
    problems.push({ variable: 'AIMS_JWT_AUDIENCE', value: undefined, problem: 'is required when AIMS_JWT_JWKS_URL is set' });
  return { jwksUrl, issuer: issuer ?? '', audience: audience ?? '', rolesClaim, ...readRoleMapping(env, problems) };
}

/** A whole number ≥ 1 from the environment, or the default. */
function readWitnessKeys(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): string[] {
  const keys = (nonEmpty(env, 'AIMS_WITNESS_KEYS') ?? '').split(/[\s,]+/).filter((k) => k.length > 0);
  for (const key of keys) {
    try {
      parseWitnessKey(key);
    } catch (error) {
      problems.push({ variable: 'AIMS_WITNESS_KEYS', value: key, problem: (error as Error).message });
    }
  }
  return keys;
}

function readWhole(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: ConfigProblem[]): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d{0,8}$/.test(raw)) {
    problems.push({ variable: name, value: raw, problem: 'must be a whole number from 1' });
    return fallback;
  }
  return Number(raw);
}

/** Reads and validates the configuration; throws InvalidConfigurationError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AimsConfig {
  const problems: ConfigProblem[] = [];

  const dataDir = path.resolve(cwd, nonEmpty(env, 'AIMS_DATA_DIR') ?? 'data');

  const eventStoreUrl = nonEmpty(env, 'AIMS_EVENT_STORE_URL') ?? `sqlite:${path.join(dataDir, 'evidence.db')}`;
  if (!/^sqlite:.+/.test(eventStoreUrl) && !/^postgres(ql)?:\/\/.+/.test(eventStoreUrl)) {
    problems.push({
      variable: 'AIMS_EVENT_STORE_URL',
      value: eventStoreUrl,
      problem: 'must be sqlite:<path> or postgres://user@host:port/database',
    });
  }

  const migrateRaw = nonEmpty(env, 'AIMS_EVENT_STORE_MIGRATE');
  if (migrateRaw !== undefined && !['true', 'false', '1', '0'].includes(migrateRaw)) {
    problems.push({ variable: 'AIMS_EVENT_STORE_MIGRATE', value: migrateRaw, problem: 'must be true or false' });
  }
  const eventStoreMigrate = migrateRaw !== 'false' && migrateRaw !== '0';

  const host = nonEmpty(env, 'AIMS_API_HOST') ?? '127.0.0.1';
  const port = readPort(env, 'AIMS_API_PORT', 3000, problems);

  const logLevelRaw = nonEmpty(env, 'AIMS_LOG_LEVEL') ?? 'info';
  const levels = ['error', 'warn', 'info', 'debug'] as const;
  const logLevel = (levels as readonly string[]).includes(logLevelRaw) ? (logLevelRaw as AimsConfig['logLevel']) : 'info';
  if (logLevel !== logLevelRaw)
    problems.push({ variable: 'AIMS_LOG_LEVEL', value: logLevelRaw, problem: `must be one of ${levels.join(', ')}` });

  const logFormatRaw = nonEmpty(env, 'AIMS_LOG_FORMAT') ?? 'text';
  const logFormat = logFormatRaw === 'json' ? 'json' : 'text';
  if (logFormat !== logFormatRaw) problems.push({ variable: 'AIMS_LOG_FORMAT', value: logFormatRaw, problem: 'must be text or json' });

  const jwt = readJwtConfig(env, problems);
  const auth: AuthConfig = { jwt, oidc: readOidcConfig(env, jwt, problems) };
  const edge = readEdgeConfig(env, problems, cwd);
  const metrics = readMetricsConfig(env, problems);

  const address = nonEmpty(env, 'TEMPORAL_ADDRESS');
  if (address !== undefined && !HOST_PORT.test(address)) {
    problems.push({ variable: 'TEMPORAL_ADDRESS', value: address, problem: 'must be host:port, e.g. temporal.example.com:7233' });
  }
  const namespace = nonEmpty(env, 'TEMPORAL_NAMESPACE') ?? 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(namespace)) {
    problems.push({ variable: 'TEMPORAL_NAMESPACE', value: namespace, problem: 'must be letters, digits, ".", "_" or "-"' });
  }
  const taskQueue = nonEmpty(env, 'AIMS_TASK_QUEUE') ?? 'aims';

  const tlsFlagRaw = nonEmpty(env, 'TEMPORAL_TLS');
  if (tlsFlagRaw !== undefined && !['true', 'false', '1', '0'].includes(tlsFlagRaw)) {
    problems.push({ variable: 'TEMPORAL_TLS', value: tlsFlagRaw, problem: 'must be true or false' });
  }
  const tlsPaths: TemporalTlsConfig = {
    serverRootCaCertPath: nonEmpty(env, 'TEMPORAL_TLS_CA_PATH'),
    clientCertPath: nonEmpty(env, 'TEMPORAL_TLS_CERT_PATH'),
    clientKeyPath: nonEmpty(env, 'TEMPORAL_TLS_KEY_PATH'),
    serverNameOverride: nonEmpty(env, 'TEMPORAL_TLS_SERVER_NAME'),
  };
  if ((tlsPaths.clientCertPath === undefined) !== (tlsPaths.clientKeyPath === undefined)) {
    problems.push({
      variable: 'TEMPORAL_TLS_CERT_PATH/TEMPORAL_TLS_KEY_PATH',
      value: undefined,
      problem: 'mTLS needs both the certificate and the key',
    });
  }
  const apiKey = nonEmpty(env, 'TEMPORAL_API_KEY');
  const anyTlsPath = Object.values(tlsPaths).some((v) => v !== undefined);
  const tlsOn = tlsFlagRaw === 'true' || tlsFlagRaw === '1' || anyTlsPath || apiKey !== undefined;
  if (!address && (tlsOn || apiKey)) {
    problems.push({
      variable: 'TEMPORAL_ADDRESS',
      value: undefined,
      problem: 'TLS settings and TEMPORAL_API_KEY apply to an existing cluster: set TEMPORAL_ADDRESS too',
    });
  }

  const devServerPort = readPort(env, 'AIMS_TEMPORAL_PORT', 7233, problems);
  const devServerUiPort = readPort(env, 'AIMS_TEMPORAL_UI_PORT', 8233, problems);
  const cacheRaw = nonEmpty(env, 'AIMS_WORKER_MAX_CACHED_WORKFLOWS');
  const workerMaxCachedWorkflows = cacheRaw === undefined ? 500 : Number(cacheRaw);
  if (cacheRaw !== undefined && (!/^\d+$/.test(cacheRaw) || workerMaxCachedWorkflows < 1)) {
    problems.push({ variable: 'AIMS_WORKER_MAX_CACHED_WORKFLOWS', value: cacheRaw, problem: 'must be a whole number of at least 1' });
  }
  if (!address && devServerPort === devServerUiPort) {
    problems.push({ variable: 'AIMS_TEMPORAL_UI_PORT', value: String(devServerUiPort), problem: 'must differ from AIMS_TEMPORAL_PORT' });
  }
  if (!address && (port === devServerPort || port === devServerUiPort)) {
    problems.push({ variable: 'AIMS_API_PORT', value: String(port), problem: 'collides with the embedded Temporal server ports' });
  }

  const commandKeys = nonEmpty(env, 'AIMS_COMMAND_KEYS');
  if (commandKeys !== undefined) {
    try {
      parseCommandKeys(commandKeys);
    } catch (error) {
      // The value is a secret: never echoed back.
      problems.push({ variable: 'AIMS_COMMAND_KEYS', value: undefined, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  const maxAgeRaw = nonEmpty(env, 'AIMS_COMMAND_MAX_AGE_SECONDS');
  const commandMaxAgeSeconds = maxAgeRaw === undefined ? 600 : Number(maxAgeRaw);
  if (maxAgeRaw !== undefined && (!/^\d+$/.test(maxAgeRaw) || commandMaxAgeSeconds < 5 || commandMaxAgeSeconds > 86_400)) {
    problems.push({
      variable: 'AIMS_COMMAND_MAX_AGE_SECONDS',
      value: maxAgeRaw,
      problem: 'must be a whole number of seconds from 5 to 86400',
    });
  }

  const minReviewDelayRaw = nonEmpty(env, 'AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY') ?? EFFECTIVENESS_REVIEW_DELAY_MIN;
  // Checked against the domain's hard bounds (PT1S to P730D), whatever the default floor.
  const minReviewDelayIssue = reviewDelayIssue(minReviewDelayRaw, 0);
  if (minReviewDelayIssue !== null) {
    problems.push({ variable: 'AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY', value: minReviewDelayRaw, problem: minReviewDelayIssue.problem });
  }
  const origin = nonEmpty(env, 'AIMS_LOG_ORIGIN') ?? 'aims.local/evidence';
  if (/[\r\n]/.test(origin)) problems.push({ variable: 'AIMS_LOG_ORIGIN', value: origin, problem: 'must be one line' });
  const keyText = nonEmpty(env, 'AIMS_CHECKPOINT_KEY');
  const keyFile = nonEmpty(env, 'AIMS_CHECKPOINT_KEY_FILE');
  if (keyText !== undefined && keyFile !== undefined) {
    problems.push({
      variable: 'AIMS_CHECKPOINT_KEY',
      value: undefined,
      problem: 'give AIMS_CHECKPOINT_KEY or AIMS_CHECKPOINT_KEY_FILE, not both',
    });
  }
  const tlogPublicRaw = nonEmpty(env, 'AIMS_EVIDENCE_TLOG_PUBLIC');
  if (tlogPublicRaw !== undefined && !['true', 'false', '1', '0'].includes(tlogPublicRaw)) {
    problems.push({ variable: 'AIMS_EVIDENCE_TLOG_PUBLIC', value: tlogPublicRaw, problem: 'must be true or false' });
  }
  const checkpoints: CheckpointConfig = {
    tlogPublic: tlogPublicRaw === 'true' || tlogPublicRaw === '1',
    witnessKeys: readWitnessKeys(env, problems),
    origin,
    signerKey: keyText !== undefined ? { text: keyText } : keyFile !== undefined ? { file: path.resolve(cwd, keyFile) } : undefined,
    everyEvents: readWhole(env, 'AIMS_CHECKPOINT_EVERY_EVENTS', 1000, problems),
    everyMs: readWhole(env, 'AIMS_CHECKPOINT_EVERY_SECONDS', 300, problems) * 1000,
    verifierKeys: (nonEmpty(env, 'AIMS_CHECKPOINT_VERIFIER_KEYS') ?? '').split(/[\s,]+/).filter((k) => k.length > 0),
  };

  const notifications = readNotificationConfig(env, cwd, { host, port }, problems);
  const personalDataKey = nonEmpty(env, 'AIMS_PERSONAL_DATA_KEY');
  const personalDataKeyFile = nonEmpty(env, 'AIMS_PERSONAL_DATA_KEY_FILE');
  if (personalDataKey !== undefined && personalDataKeyFile !== undefined) {
    problems.push({
      variable: 'AIMS_PERSONAL_DATA_KEY',
      value: undefined,
      problem: 'give AIMS_PERSONAL_DATA_KEY or AIMS_PERSONAL_DATA_KEY_FILE, not both',
    });
  }
  const personalData =
    personalDataKey !== undefined
      ? { key: personalDataKey }
      : personalDataKeyFile !== undefined
        ? { keyFile: path.resolve(cwd, personalDataKeyFile) }
        : {};

  if (problems.length > 0) throw new InvalidConfigurationError(problems);

  return {
    checkpoints,
    notifications,
    personalData,
    dataDir,
    eventStoreUrl,
    eventStoreMigrate,
    api: { host, port },
    auth,
    edge,
    metrics,
    logLevel,
    logFormat,
    commands: { keys: commandKeys, maxAgeMs: commandMaxAgeSeconds * 1000 },
    nonconformities: { minReviewDelayMs: parseFixedDuration(minReviewDelayRaw) as number },
    temporal: {
      address,
      namespace,
      taskQueue,
      tls: tlsOn ? (anyTlsPath ? tlsPaths : true) : undefined,
      apiKey,
      devServerPort,
      devServerUiPort,
      workerMaxCachedWorkflows,
    },
  };
}

/** The address clients use: the configured cluster, or the embedded dev server. */
export function temporalAddress(config: AimsConfig): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
}
