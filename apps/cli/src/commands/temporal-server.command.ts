/**
 * `aims temporal-server up|down|status`: the Temporal server itself on PostgreSQL, for a production-like
 * topology (several API and worker processes pointing TEMPORAL_ADDRESS at it). See docs/deployment.md.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../../infra/config/config';
import { InvalidPostgresUrlError } from '../../../../infra/temporal/temporal-server-config';
import {
  TemporalServerError,
  temporalServerDown,
  temporalServerStatus,
  temporalServerUp,
  TEMPORAL_SERVER_VERSION,
} from '../../../../infra/temporal/temporal-server';
import { UsageError } from '../usage-error';

export const TEMPORAL_SERVER_USAGE = `Usage:
  aims temporal-server up --postgres URL [--data DIR] [--port 7233] [--bind 127.0.0.1] [--metrics-port 0]
                          [--history-shards 4] [--database temporal] [--namespace default] [--retention-days 30]
                          [--foreground] [--json]
      Build (first time, with Go) and start Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL: creates the databases
      DATABASE and DATABASE_visibility, sets up or upgrades their schemas, writes the config to DIR/config, starts
      the server in the background (log and pid in DIR; with --foreground attached, for systemd and containers)
      and registers the namespace. Idempotent. URL defaults to
      AIMS_TEMPORAL_POSTGRES_URL (its password is passed to the server in its environment, never written to disk);
      DIR to $AIMS_DATA_DIR/temporal-server. The other services' ports follow --port (history +1, matching +2,
      worker +6, HTTP +10, membership -300…). Then point the API and workers at it: TEMPORAL_ADDRESS=127.0.0.1:PORT.
  aims temporal-server down [--data DIR]
      Stop it (SIGTERM, then SIGKILL after 30 s).
  aims temporal-server status [--data DIR] [--postgres URL] [--json]
      Running? Answering? Namespace registered? Schema versions (with --postgres or AIMS_TEMPORAL_POSTGRES_URL).
      Exit 0 when it runs and answers, 1 otherwise.`;

const out = (text: string) => process.stdout.write(text);
const say = (line: string) => process.stderr.write(`[temporal-server] ${line}\n`);

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

export async function temporalServerCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const config = loadConfig();
  const defaultData = path.join(config.dataDir, 'temporal-server');
  try {
    switch (sub) {
      case 'up': {
        const { values } = parseArgs({
          args: rest,
          strict: true,
          options: {
            postgres: { type: 'string' },
            data: { type: 'string' },
            port: { type: 'string', default: '7233' },
            bind: { type: 'string', default: '127.0.0.1' },
            'metrics-port': { type: 'string', default: '0' },
            'history-shards': { type: 'string', default: '4' },
            database: { type: 'string', default: 'temporal' },
            namespace: { type: 'string', default: config.temporal.namespace },
            'retention-days': { type: 'string', default: '30' },
            json: { type: 'boolean', default: false },
            foreground: { type: 'boolean', default: false },
          },
        });
        const postgresUrl = values.postgres ?? process.env.AIMS_TEMPORAL_POSTGRES_URL;
        if (!postgresUrl) throw new UsageError('temporal-server up needs --postgres URL (or AIMS_TEMPORAL_POSTGRES_URL)');
        if (!/^[a-z_][a-z0-9_]{0,40}$/.test(values.database))
          throw new UsageError('--database must be a lower-case SQL name (letters, digits, _)');
        if (!/^[A-Za-z0-9._-]{1,200}$/.test(values.namespace)) throw new UsageError('--namespace must be letters, digits, ".", "_" or "-"');
        const result = await temporalServerUp({
          dataDir: values.data ?? defaultData,
          postgresUrl,
          // Temporal stores membership ports (--port - 300…) as SQL smallint: at most 32767.
          port: wholeNumber('--port', values.port, 1324, 33000),
          bindAddress: values.bind,
          metricsPort: wholeNumber('--metrics-port', values['metrics-port'], 0, 65535),
          historyShards: wholeNumber('--history-shards', values['history-shards'], 1, 16384),
          databasePrefix: values.database,
          namespace: values.namespace,
          retentionDays: wholeNumber('--retention-days', values['retention-days'], 1, 3650),
          env: process.env,
          log: say,
          foreground: values.foreground,
        });
        if (values.json) out(`${JSON.stringify(result, null, 2)}\n`);
        else
          out(
            [
              `Temporal server ${TEMPORAL_SERVER_VERSION} ${result.alreadyRunning ? 'was already running' : 'is up'} (pid ${result.pid})`,
              `  TEMPORAL_ADDRESS=${result.address}`,
              `  TEMPORAL_NAMESPACE=${result.namespace}`,
              `  schema: history ${result.schemaVersions.history}, visibility ${result.schemaVersions.visibility}`,
              result.foreground ? '  log: this output' : `  log: ${result.logFile}`,
              '',
            ].join('\n'),
          );
        if (result.foreground) {
          // systemd or the container runtime stops us; the server gets the same signal and we exit with it.
          const forward = (signal: NodeJS.Signals) => result.foreground?.signal(signal);
          process.on('SIGTERM', forward);
          process.on('SIGINT', forward);
          return result.foreground.exited;
        }
        return 0;
      }
      case 'down': {
        const { values } = parseArgs({ args: rest, strict: true, options: { data: { type: 'string' } } });
        const result = await temporalServerDown(values.data ?? defaultData);
        out(result.wasRunning ? `stopped pid ${result.pid} (${result.how})\n` : 'not running\n');
        return 0;
      }
      case 'status': {
        const { values } = parseArgs({
          args: rest,
          strict: true,
          options: { data: { type: 'string' }, postgres: { type: 'string' }, json: { type: 'boolean', default: false } },
        });
        const status = await temporalServerStatus(values.data ?? defaultData, values.postgres ?? process.env.AIMS_TEMPORAL_POSTGRES_URL);
        if (values.json) out(`${JSON.stringify(status, null, 2)}\n`);
        else {
          const lines = [
            status.running && status.answering ? `running (pid ${status.pid}) on ${status.address}` : 'not running',
            ...(status.namespace ? [`  namespace ${status.namespace}: ${status.namespaceRegistered ? 'registered' : 'unknown'}`] : []),
            ...(status.schemaVersions
              ? [`  schema: history ${status.schemaVersions.history}, visibility ${status.schemaVersions.visibility}`]
              : []),
            ...status.problems.map((p) => `  problem: ${p}`),
          ];
          out(`${lines.join('\n')}\n`);
        }
        return status.running && status.answering ? 0 : 1;
      }
      default:
        throw new UsageError(`temporal-server needs up, down or status\n\n${TEMPORAL_SERVER_USAGE}`);
    }
  } catch (error) {
    if (error instanceof InvalidPostgresUrlError) throw new UsageError(error.message);
    if (error instanceof TemporalServerError) {
      if (error.exitCode === 2) throw new UsageError(error.message);
      process.stderr.write(`aims: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
