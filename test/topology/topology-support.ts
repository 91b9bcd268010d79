/** What the topology tests share: the `aims` command run as a process, and a free range of server ports. */
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { allPorts } from '../../infra/temporal/temporal-server-config';

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
