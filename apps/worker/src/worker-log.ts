/**
 * The worker's log (issue 13 item 5): one logger for the worker's own lines, the Temporal SDK's (workflow
 * and activity loggers, with their workflow id, run id, activity type and attempt) and Core's forwarded
 * lines. AIMS_LOG_FORMAT=json writes one JSON object per line, so a log pipeline can follow a command from
 * the API's access log to the activity that recorded its evidence by `httpRequestId`; text keeps the
 * `[worker] message` lines people read in a terminal.
 */
import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from '@temporalio/common';

export type WorkerLogFormat = 'text' | 'json';
export type WorkerLogLevel = 'error' | 'warn' | 'info' | 'debug';

const SDK_LEVEL: Record<WorkerLogLevel, LogLevel> = { error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG' };

/** Meta values as JSON can carry them: bigints as decimal text, errors as their name and message. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** One log line (without its line feed) for an entry, in the configured format. */
export function formatWorkerLogLine(format: WorkerLogFormat, entry: Pick<LogEntry, 'level' | 'message' | 'meta'>, at: Date): string {
  const meta = entry.meta === undefined ? {} : (plain(entry.meta) as Record<string, unknown>);
  if (format === 'json') {
    // time, level, context and message first and never overwritten by a meta key of the same name.
    return JSON.stringify({ ...meta, time: at.toISOString(), level: entry.level.toLowerCase(), context: 'worker', message: entry.message });
  }
  const keys = Object.keys(meta);
  const details =
    keys.length === 0 ? '' : ` (${keys.map((k) => `${k}=${typeof meta[k] === 'string' ? meta[k] : JSON.stringify(meta[k])}`).join(', ')})`;
  const level = entry.level === 'INFO' ? '' : `${entry.level} `;
  return `[worker] ${level}${entry.message}${details}`;
}

export interface WorkerLog {
  /** The SDK's logger (and the worker's own warnings): entries at or above the level; errors and warnings to stderr. */
  logger: Logger;
  /** The process's milestones (metrics listening, polling, stopped): written whatever the level, to stdout. */
  announce: (message: string, meta?: Record<string, unknown>) => void;
}

export function createWorkerLog(
  format: WorkerLogFormat,
  level: WorkerLogLevel,
  write: { stdout: (line: string) => void; stderr: (line: string) => void } = {
    stdout: (line) => process.stdout.write(line),
    stderr: (line) => process.stderr.write(line),
  },
): WorkerLog {
  const logger = new DefaultLogger(SDK_LEVEL[level], (entry) => {
    const line = `${formatWorkerLogLine(format, entry, new Date(Number(entry.timestampNanos / 1_000_000n)))}\n`;
    if (entry.level === 'ERROR' || entry.level === 'WARN') write.stderr(line);
    else write.stdout(line);
  });
  return {
    logger,
    announce: (message, meta) =>
      write.stdout(`${formatWorkerLogLine(format, { level: 'INFO', message, ...(meta ? { meta } : {}) }, new Date())}\n`),
  };
}

export interface WorkerRuntimeOptions {
  logger: Logger;
  level: WorkerLogLevel;
  /** Where the SDK's Prometheus exporter listens, when it is enabled. */
  sdkMetrics?: { host: string; port: number };
}

/**
 * Installs the SDK's runtime once, before the first connection: the logger (with Core's lines forwarded to
 * it, so every line of the process has one format) and, when enabled, the SDK's metrics exporter.
 */
export function installWorkerRuntime(options: WorkerRuntimeOptions): void {
  const sdkLevel = SDK_LEVEL[options.level];
  Runtime.install({
    logger: options.logger,
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: sdkLevel === 'DEBUG' ? 'INFO' : sdkLevel }), forward: {} },
      ...(options.sdkMetrics ? { metrics: { prometheus: { bindAddress: `${options.sdkMetrics.host}:${options.sdkMetrics.port}` } } } : {}),
    },
  });
}
