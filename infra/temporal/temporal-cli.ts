/**
 * Finds (or builds) the Temporal CLI whose `server start-dev` is the embedded Temporal server.
 *
 * The SDK can download the CLI itself, but that needs the internet, which build and CI machines here do
 * not have. So `npm start`, the worker tests and the benchmarks all resolve it through this one module, in
 * this order:
 *   1. `TEMPORAL_CLI_PATH`;
 *   2. `temporal` on `PATH`;
 *   3. a build cached in the per-user cache folder (`$XDG_CACHE_HOME/aims/temporal-cli/<version>/temporal`);
 *   4. `go install github.com/temporalio/cli/cmd/temporal@<version>` into that folder (minutes, once);
 *   5. the SDK's own download (`cached-download`), which only works with internet access.
 * v1.5.1 is the newest CLI tag whose go.mod has no `replace` directive, which `go install pkg@version`
 * requires.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export type TemporalCliSource = 'env' | 'path' | 'cache' | 'go-build' | 'sdk-download';

export type ResolvedTemporalCli =
  | { kind: 'existing-path'; path: string; source: Exclude<TemporalCliSource, 'sdk-download'> }
  | { kind: 'sdk-download'; source: 'sdk-download'; reason: string };

export class TemporalCliUnavailableError extends Error {
  constructor(
    message: string,
    readonly attempts: string[],
  ) {
    super(`${message}\n  tried:\n    - ${attempts.join('\n    - ')}`);
    this.name = 'TemporalCliUnavailableError';
  }
}

export interface ResolveTemporalCliOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress lines (where the binary goes, build progress). Defaults to stderr. */
  log?: (line: string) => void;
  /** Allow falling back to the SDK's download when nothing else works (needs internet). */
  allowSdkDownload?: boolean;
}

export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== '' ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'aims', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

function executableName(): string {
  return process.platform === 'win32' ? 'temporal.exe' : 'temporal';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, executableName());
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function findGo(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/local/go/bin', path.join(os.homedir(), 'go', 'bin')];
  for (const dir of dirs) {
    const candidate = path.join(dir, process.platform === 'win32' ? 'go.exe' : 'go');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Resolves the CLI, building it with Go when needed. Never downloads unless allowSdkDownload is set. */
export async function resolveTemporalCli(options: ResolveTemporalCliOptions = {}): Promise<ResolvedTemporalCli> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const attempts: string[] = [];

  const fromEnv = env.TEMPORAL_CLI_PATH?.trim();
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { kind: 'existing-path', path: path.resolve(fromEnv), source: 'env' };
    // An explicit setting that is wrong is an error, not something to silently work around.
    throw new TemporalCliUnavailableError(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`, [`TEMPORAL_CLI_PATH=${fromEnv}`]);
  }
  attempts.push('TEMPORAL_CLI_PATH (not set)');

  const onPath = findOnPath(env);
  if (onPath) return { kind: 'existing-path', path: onPath, source: 'path' };
  attempts.push('`temporal` on PATH (not found)');

  const cacheDir = temporalCliCacheDir(env);
  const cached = path.join(cacheDir, executableName());
  if (isExecutable(cached)) return { kind: 'existing-path', path: cached, source: 'cache' };
  attempts.push(`cached build at ${cached} (not there)`);

  const go = findGo(env);
  if (go) {
    await buildWithGo(go, cacheDir, env, log);
    if (isExecutable(cached)) return { kind: 'existing-path', path: cached, source: 'go-build' };
    attempts.push(`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} (finished but produced no binary)`);
  } else {
    attempts.push('go toolchain (not found on PATH or /usr/local/go/bin)');
  }

  if (options.allowSdkDownload) {
    return { kind: 'sdk-download', source: 'sdk-download', reason: attempts.join('; ') };
  }
  throw new TemporalCliUnavailableError(
    'No Temporal CLI available. Install Go (https://go.dev) so it can be built, or set TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running cluster.',
    attempts,
  );
}

/**
 * Builds the CLI into `cacheDir`. Concurrent callers (a test run and `npm start`) share one build: a lock
 * directory serialises them and the binary is moved into place atomically, so nobody runs a half-written file.
 */
async function buildWithGo(go: string, cacheDir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const lockDir = path.join(cacheDir, '.build-lock');
  const target = path.join(cacheDir, executableName());
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (isExecutable(target)) return;
      const age = Date.now() - fs.statSync(lockDir).mtimeMs;
      // A lock older than an hour belongs to a build that was killed.
      if (age > 60 * 60 * 1000) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > 5000 && (Date.now() - started) % 30000 < 1000)
        log(`[temporal-cli] waiting for another build of the Temporal CLI to finish (${lockDir})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    if (isExecutable(target)) return;
    const stage = fs.mkdtempSync(path.join(cacheDir, '.stage-'));
    log(`[temporal-cli] building the Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} (first run only; takes a few minutes)`);
    log(`[temporal-cli] the binary goes to ${target}`);
    await runGoInstall(go, stage, env, log);
    const built = path.join(stage, executableName());
    if (!isExecutable(built)) throw new Error(`go install finished but ${built} is missing`);
    fs.renameSync(built, target);
    fs.rmSync(stage, { recursive: true, force: true });
    const version = spawnSync(target, ['--version'], { encoding: 'utf8' });
    log(`[temporal-cli] built in ${Math.round((Date.now() - started) / 1000)} s: ${version.stdout.trim() || target}`);
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function runGoInstall(go: string, gobin: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', '-v', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...env, GOBIN: gobin, GOFLAGS: [env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let downloads = 0;
    let packages = 0;
    let lastReport = 0;
    const tail: string[] = [];
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - lastReport < 5000) return;
      lastReport = now;
      log(`[temporal-cli] go: ${downloads} modules downloaded, ${packages} packages compiled`);
    };
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('go: downloading')) downloads++;
        else if (line.trim() !== '') packages++;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        report();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      report(true);
      if (code === 0) resolve();
      else
        reject(
          new Error(`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`),
        );
    });
  });
}
