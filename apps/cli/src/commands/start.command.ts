/**
 * `aims start`: runs the whole engine on one machine — the embedded Temporal dev server (unless
 * TEMPORAL_ADDRESS points at a cluster), the worker and the API — under a supervisor (supervisor.ts) that
 * restarts a crashed process with backoff, and stops all of it on Ctrl-C.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { AimsConfig, loadConfig, temporalAddress } from '../../../../infra/config/config';
import { temporalConnectionSettings } from '../../../../infra/temporal/connection';
import { resolveTemporalCli } from '../../../../infra/temporal/temporal-cli';
import { Supervisor } from './supervisor';

const say = (line: string) => process.stdout.write(`[aims] ${line}\n`);

export async function startCommand(): Promise<number> {
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const supervisor = new Supervisor({ say, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
  let stopped = false;

  const stop = async (reason: string): Promise<void> => {
    if (stopped) return;
    stopped = true;
    say(`stopping (${reason})…`);
    await supervisor.stop();
    say('stopped; no process left behind');
  };

  let resolveStopped!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveStopped = r));
  const onSignal = (signal: NodeJS.Signals) => void stop(signal).then(() => resolveStopped(0));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  void supervisor.gaveUp.then((reason) => stop(reason).then(() => resolveStopped(1)));

  try {
    let temporalUi: string | undefined;
    if (!config.temporal.address) {
      const cli = await resolveTemporalCli({ log: (l) => say(l) });
      if (cli.kind !== 'existing-path') throw new Error('no Temporal CLI could be found or built');
      say(`Temporal CLI: ${cli.path} (${cli.source})`);
      const dbFile = path.join(config.dataDir, 'temporal.db');
      supervisor.start({
        name: 'temporal',
        command: cli.path,
        args: [
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
        // Its own warnings while it shuts down (pollers losing their connection) are expected noise.
        quietWhileStopping: /level=(WARN|INFO)/,
      });
      temporalUi = `http://127.0.0.1:${config.temporal.devServerUiPort}`;
      say(`starting the Temporal dev server on 127.0.0.1:${config.temporal.devServerPort} (state in ${dbFile})`);
    } else {
      say(`using the Temporal cluster at ${config.temporal.address}, namespace ${config.temporal.namespace}`);
    }
    await waitFor(
      'Temporal',
      () => temporalReachable(config),
      60_000,
      () => stopped,
    );

    // A worker whose Temporal is gone may wait long on its pollers: 10 s, then it is killed.
    supervisor.start({
      name: 'worker',
      command: process.execPath,
      args: [path.resolve(__dirname, '../../../worker/src/main.js')],
      stopGraceMs: 10_000,
    });
    supervisor.start({ name: 'api', command: process.execPath, args: [path.resolve(__dirname, '../../../api/src/main.js')] });

    const apiUrl = `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${config.api.port}`;
    await waitFor(
      'API',
      () => httpOk(`${apiUrl}/ready`),
      60_000,
      () => stopped,
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
        '  A process that crashes is restarted. Press Ctrl-C to stop.',
        '',
      ].join('\n') + '\n',
    );
  } catch (err) {
    if (!stopped) {
      say(err instanceof Error ? err.message : String(err));
      await stop('start-up failed');
      return 1;
    }
  }
  return done;
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
