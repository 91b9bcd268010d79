/**
 * `aims start`: runs the whole engine on one machine — the embedded Temporal dev server (unless
 * TEMPORAL_ADDRESS points at a cluster), the worker and the API — and stops all of it on Ctrl-C.
 *
 * Children run in their own process groups so that a terminal's Ctrl-C reaches only this supervisor, which
 * then stops them in order (API, worker, then Temporal) instead of all at once; whatever is still running
 * when the supervisor exits is killed, so no process is left behind.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { AimsConfig, loadConfig, temporalAddress } from '../../../../infra/config/config';
import { temporalConnectionSettings } from '../../../../infra/temporal/connection';
import { resolveTemporalCli } from '../../../../infra/temporal/temporal-cli';

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

const say = (line: string) => process.stdout.write(`[aims] ${line}\n`);

export async function startCommand(): Promise<number> {
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const children: Child[] = [];
  let stopping = false;

  const killAll = () => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null && child.process.pid) {
        try {
          process.kill(-child.process.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  };
  process.on('exit', killAll);

  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`stopping (${reason})…`);
    for (const child of [...children].reverse()) await stopChild(child);
    say('stopped; no process left behind');
  };

  let resolveStopped!: (code: number) => void;
  const stopped = new Promise<number>((r) => (resolveStopped = r));
  const onSignal = (signal: NodeJS.Signals) => void stop(signal).then(() => resolveStopped(0));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const watch = (child: Child) => {
    void child.exited.then((code) => {
      if (stopping) return;
      say(`${child.name} exited unexpectedly (${code === null ? 'signal' : `exit ${code}`}); stopping the rest`);
      void stop(`${child.name} exited`).then(() => resolveStopped(1));
    });
  };

  try {
    let temporalUi: string | undefined;
    if (!config.temporal.address) {
      const cli = await resolveTemporalCli({ log: (l) => say(l) });
      if (cli.kind !== 'existing-path') throw new Error('no Temporal CLI could be found or built');
      say(`Temporal CLI: ${cli.path} (${cli.source})`);
      const dbFile = path.join(config.dataDir, 'temporal.db');
      // Temporal's own warnings while it shuts down (pollers losing their connection) are expected noise.
      const temporal = launch(
        'temporal',
        cli.path,
        [
          'server',
          'start-dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(config.temporal.devServerPort),
          '--ui-port',
          String(config.temporal.devServerUiPort),
          '--db-filename',
          dbFile,
          '--namespace',
          config.temporal.namespace,
          '--log-level',
          'warn',
        ],
        () => stopping,
      );
      children.push(temporal);
      watch(temporal);
      temporalUi = `http://127.0.0.1:${config.temporal.devServerUiPort}`;
      say(`starting the Temporal dev server on 127.0.0.1:${config.temporal.devServerPort} (state in ${dbFile})`);
    } else {
      say(`using the Temporal cluster at ${config.temporal.address}, namespace ${config.temporal.namespace}`);
    }
    await waitFor(
      'Temporal',
      () => temporalReachable(config),
      60_000,
      () => stopping,
    );

    const worker = launch('worker', process.execPath, [path.resolve(__dirname, '../../../worker/src/main.js')]);
    children.push(worker);
    watch(worker);
    const api = launch('api', process.execPath, [path.resolve(__dirname, '../../../api/src/main.js')]);
    children.push(api);
    watch(api);

    const apiUrl = `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${config.api.port}`;
    await waitFor(
      'API',
      () => httpOk(`${apiUrl}/ready`),
      60_000,
      () => stopping,
    );
    process.stdout.write(
      [
        '',
        '  aims is up',
        `    API            ${apiUrl}`,
        `    OpenAPI docs   ${apiUrl}/docs`,
        `    Temporal       ${temporalAddress(config)} (namespace ${config.temporal.namespace})`,
        ...(temporalUi ? [`    Temporal UI    ${temporalUi}`] : []),
        `    Evidence store ${config.eventStoreUrl}`,
        '  Press Ctrl-C to stop.',
        '',
      ].join('\n') + '\n',
    );
  } catch (err) {
    if (!stopping) {
      say(err instanceof Error ? err.message : String(err));
      await stop('start-up failed');
      return 1;
    }
  }
  return stopped;
}

function launch(name: string, command: string, args: string[], quietWhile: () => boolean = () => false): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: process.env });
  const prefix = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (quietWhile() && /level=(WARN|INFO)/.test(line)) continue;
        out.write(line.startsWith(`[${name}]`) ? `${line}\n` : `[${name}] ${line}\n`);
      }
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (err) => {
      process.stderr.write(`[${name}] could not start: ${err.message}\n`);
      resolve(127);
    });
  });
  return { name, process: child, exited };
}

async function stopChild(child: Child): Promise<void> {
  const pid = child.process.pid;
  if (!pid || child.process.exitCode !== null || child.process.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  };
  signalGroup('SIGTERM');
  const graceful = await Promise.race([child.exited.then(() => true), delay(20_000).then(() => false)]);
  if (!graceful) {
    say(`${child.name} did not stop within 20 s; killing it`);
    signalGroup('SIGKILL');
    await child.exited;
  }
}

async function temporalReachable(config: AimsConfig): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...temporalConnectionSettings(config), connectTimeout: '2 seconds' });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, cancelled: () => boolean): Promise<void> {
  const started = Date.now();
  let lastNote = started;
  while (!cancelled()) {
    if (await probe()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
    if (Date.now() - lastNote > 10_000) {
      say(`still waiting for ${what} (${Math.round((Date.now() - started) / 1000)} s)…`);
      lastNote = Date.now();
    }
    await delay(300);
  }
  throw new Error('cancelled');
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
