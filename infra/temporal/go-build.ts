/**
 * Builds Go programs (the Temporal CLI, the Temporal server and its SQL schema tool) into a per-user cache
 * with `go install`, since build and CI machines here reach the Go module proxy but not GitHub releases.
 *
 * Concurrent callers (a test run and `npm start`) share one build: a lock directory serialises them and
 * every binary is moved into place atomically, so nobody runs a half-written file.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface GoBinary {
  /** `module/path/cmd/x@version`: what `go install` takes. */
  package: string;
  /** The name `go install` gives the binary (the last path element of the package). */
  builtName: string;
  /** The name it has in the cache folder. */
  name: string;
}

export interface GoBuildOptions {
  go: string;
  cacheDir: string;
  binaries: readonly GoBinary[];
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Prefix of progress lines, e.g. `temporal-cli`. */
  label: string;
}

export function userCacheDir(env: NodeJS.ProcessEnv, ...parts: string[]): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== '' ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'aims', ...parts);
}

export function executableName(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findOnPath(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, executableName(name));
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function findGo(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/local/go/bin', path.join(os.homedir(), 'go', 'bin')];
  for (const dir of dirs) {
    const candidate = path.join(dir, executableName('go'));
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Builds every binary that is not yet in the cache folder; returns when all are there. */
export async function goInstallIntoCache(options: GoBuildOptions): Promise<void> {
  const { cacheDir, binaries, log, label } = options;
  fs.mkdirSync(cacheDir, { recursive: true });
  const lockDir = path.join(cacheDir, '.build-lock');
  const targets = binaries.map((b) => path.join(cacheDir, executableName(b.name)));
  const allThere = () => targets.every(isExecutable);
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (allThere()) return;
      const age = Date.now() - fs.statSync(lockDir).mtimeMs;
      // A lock older than an hour belongs to a build that was killed.
      if (age > 60 * 60 * 1000) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > 5000 && (Date.now() - started) % 30000 < 1000)
        log(`[${label}] waiting for another build to finish (${lockDir})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    if (allThere()) return;
    const stage = fs.mkdtempSync(path.join(cacheDir, '.stage-'));
    log(`[${label}] building ${binaries.map((b) => b.package).join(', ')} with ${options.go} (first run only; takes minutes)`);
    log(targets.length === 1 ? `[${label}] the binary goes to ${targets[0]}` : `[${label}] the binaries go to ${cacheDir}`);
    await runGoInstall(options, stage);
    binaries.forEach((binary, i) => {
      const built = path.join(stage, executableName(binary.builtName));
      if (!isExecutable(built)) throw new Error(`go install finished but ${built} is missing`);
      fs.renameSync(built, targets[i]);
    });
    fs.rmSync(stage, { recursive: true, force: true });
    const version = spawnSync(targets[0], ['--version'], { encoding: 'utf8' });
    log(`[${label}] built in ${Math.round((Date.now() - started) / 1000)} s: ${version.stdout.trim() || targets[0]}`);
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function runGoInstall(options: GoBuildOptions, gobin: string): Promise<void> {
  const { go, env, log, label, binaries } = options;
  const packages = binaries.map((b) => b.package);
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', '-v', ...packages], {
      env: { ...env, GOBIN: gobin, GOFLAGS: [env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let downloads = 0;
    let compiled = 0;
    let lastReport = 0;
    const tail: string[] = [];
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - lastReport < 5000) return;
      lastReport = now;
      log(`[${label}] go: ${downloads} modules downloaded, ${compiled} packages compiled`);
    };
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('go: downloading')) downloads++;
        else if (line.trim() !== '') compiled++;
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
      else reject(new Error(`go install ${packages.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`));
    });
  });
}
