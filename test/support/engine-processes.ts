/**
 * The engine's own processes (apps/api/src/main.ts, apps/worker/src/main.ts) started as `node` processes of
 * their own, from the TypeScript sources, for tests of what only separate processes show: several APIs on
 * one store, workers on a real Temporal cluster, a process killed outright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { TEST_COMMAND_KEYS_TEXT } from './command-keys';

const ROOT = path.resolve(__dirname, '../..');
const TS_REGISTER = path.join(ROOT, 'test/integration/event-store/ts-register.cjs');

export interface EngineProcess {
  name: string;
  child: ChildProcess;
  output: string[];
}

export interface ApiProcess extends EngineProcess {
  baseUrl: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a TypeScript entry point of the engine; resolves once it prints `ready`. A worker bundles its
 * workflow code from the sources as it starts, which on a loaded two-core machine has taken more than a
 * minute: hence 180 s, after which the process is killed so that nothing outlives the test.
 */
async function startEngineProcess(name: string, entry: string, env: Record<string, string>, ready: string): Promise<EngineProcess> {
  const child = spawn(process.execPath, ['-r', TS_REGISTER, path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, AIMS_COMMAND_KEYS: TEST_COMMAND_KEYS_TEXT, AIMS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within 180 s:\n${output.join('')}`));
    }, 180_000);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${String(code ?? signal)}) before it was ready:\n${output.join('')}`));
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes(ready)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', onExit);
  });
  return { name, child, output };
}

/** `node apps/api/src/main.ts` on a free port; resolves once it listens. */
export async function startApiProcess(name: string, env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const process_ = await startEngineProcess(
    `API ${name}`,
    'apps/api/src/main.ts',
    { ...env, AIMS_API_HOST: '127.0.0.1', AIMS_API_PORT: String(port) },
    '[api] listening on',
  );
  return { ...process_, name, baseUrl: `http://127.0.0.1:${port}` };
}

/**
 * `node apps/worker/src/main.ts` with the workflows bundled from source; resolves once it polls (the line
 * it prints then: `ready`, by default the text log's).
 */
export function startWorkerProcess(
  name: string,
  env: Record<string, string>,
  ready = '[worker] polling task queue',
): Promise<EngineProcess> {
  return startEngineProcess(`worker ${name}`, 'apps/worker/src/main.ts', { AIMS_WORKFLOWS: 'source', ...env }, ready);
}

/** Stops it (SIGTERM unless told otherwise) and waits until it has exited. */
export async function stopProcess(p: EngineProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill(signal);
  await exited;
}

export async function call(
  api: ApiProcess,
  token: string,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response body of whichever endpoint; each test reads the fields it expects
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  return { status: response.status, body: (await response.json()) as any };
}
