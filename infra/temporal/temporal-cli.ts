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
import * as path from 'node:path';
import { executableName as exe, findGo, findOnPath, goInstallIntoCache, isExecutable, userCacheDir } from './go-build';

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
  return userCacheDir(env, 'temporal-cli', TEMPORAL_CLI_VERSION);
}

const executableName = () => exe('temporal');

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

  const onPath = findOnPath(env, 'temporal');
  if (onPath) return { kind: 'existing-path', path: onPath, source: 'path' };
  attempts.push('`temporal` on PATH (not found)');

  const cacheDir = temporalCliCacheDir(env);
  const cached = path.join(cacheDir, executableName());
  if (isExecutable(cached)) return { kind: 'existing-path', path: cached, source: 'cache' };
  attempts.push(`cached build at ${cached} (not there)`);

  const go = findGo(env);
  if (go) {
    await goInstallIntoCache({
      go,
      cacheDir,
      env,
      log,
      label: 'temporal-cli',
      binaries: [{ package: `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`, builtName: 'temporal', name: 'temporal' }],
    });
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
