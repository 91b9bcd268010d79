import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  resolveTemporalCli,
  temporalCliCacheDir,
  TemporalCliUnavailableError,
  TEMPORAL_CLI_VERSION,
} from '../../infra/temporal/temporal-cli';

function executable(dir: string, name = 'temporal'): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\necho temporal\n', { mode: 0o755 });
  return file;
}

describe('resolving the Temporal CLI', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-cli-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('given TEMPORAL_CLI_PATH, when resolving, then it wins over everything else', async () => {
    const explicit = executable(path.join(tmp, 'explicit'));
    executable(path.join(tmp, 'bin'));
    const cli = await resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: explicit, PATH: path.join(tmp, 'bin') } });
    expect(cli).toEqual({ kind: 'existing-path', path: explicit, source: 'env' });
  });

  it('given a TEMPORAL_CLI_PATH that is not executable, when resolving, then it is an error, not a silent fallback', async () => {
    await expect(resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: path.join(tmp, 'missing') } })).rejects.toBeInstanceOf(
      TemporalCliUnavailableError,
    );
  });

  it('given temporal on PATH, when resolving, then the PATH one is used', async () => {
    const onPath = executable(path.join(tmp, 'bin'));
    const cli = await resolveTemporalCli({ env: { PATH: path.join(tmp, 'bin'), XDG_CACHE_HOME: path.join(tmp, 'cache') } });
    expect(cli).toEqual({ kind: 'existing-path', path: onPath, source: 'path' });
  });

  it('given a cached build, when resolving, then the cache is used without building', async () => {
    const env = { PATH: path.join(tmp, 'empty'), XDG_CACHE_HOME: path.join(tmp, 'cache') };
    const cached = executable(temporalCliCacheDir(env));
    expect(cached).toContain(path.join('aims', 'temporal-cli', TEMPORAL_CLI_VERSION));
    const cli = await resolveTemporalCli({ env });
    expect(cli).toEqual({ kind: 'existing-path', path: cached, source: 'cache' });
  });

  it('given no CLI and a go that fails, when resolving, then the error explains what was tried', async () => {
    // A stand-in `go` on PATH that fails the way an offline machine does; /usr/local/go is looked at too,
    // so this also proves the build's failure surfaces instead of hanging.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'go'), '#!/bin/sh\necho "go: module lookup disabled" >&2\nexit 1\n', { mode: 0o755 });
    const lines: string[] = [];
    const outcome = resolveTemporalCli({ env: { PATH: bin, XDG_CACHE_HOME: path.join(tmp, 'cache') }, log: (l) => lines.push(l) });
    await expect(outcome).rejects.toThrow(
      /go install github.com\/temporalio\/cli\/cmd\/temporal@v1.5.1 failed[\s\S]*module lookup disabled/,
    );
    expect(lines.join('\n')).toContain('the binary goes to');
  });
});
