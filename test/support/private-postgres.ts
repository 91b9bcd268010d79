/**
 * A PostgreSQL server of one test's own: a fresh cluster (initdb) in a temp folder, on its own port. For a
 * test that must crash and restart the server (issue 13 item 2), which the shared server on 5432 cannot
 * be while other test files use it.
 *
 * The binaries are the machine's (`pg_config --bindir`). PostgreSQL refuses to run as root, so when the
 * tests run as root the cluster belongs to the `postgres` user and its commands run through `runuser`.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

function binDir(): string {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = fromConfig.status === 0 ? fromConfig.stdout.trim() : '';
  if (dir !== '' && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort() : [];
  const found = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => fs.existsSync(path.join(d, 'pg_ctl')));
  if (found === undefined) throw new Error('PostgreSQL server binaries not found (pg_config --bindir, /usr/lib/postgresql/*/bin)');
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class PrivatePostgres {
  private readonly bin = binDir();
  private readonly asRoot = process.getuid?.() === 0;

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** The cluster's `test` database, as the shared server's URL names its own. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/test`;
  }

  static async start(name: string): Promise<PrivatePostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aims-pg-${name}-`));
    const pg = new PrivatePostgres(dir, await freePort());
    if (pg.asRoot) {
      const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
      fs.chownSync(dir, uid, gid);
    }
    pg.run('initdb', ['-D', pg.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    pg.startServer();
    const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${pg.port}/postgres` });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE test');
    } finally {
      await admin.end();
    }
    return pg;
  }

  /**
   * What a crash of the server looks like to its clients: `pg_ctl stop -m immediate` (every backend gone
   * at once, no shutdown checkpoint, crash recovery at the next start), `downMs` with nothing listening,
   * then the server started again.
   */
  async crashAndRestart(downMs: number): Promise<void> {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.startServer();
  }

  async stop(): Promise<void> {
    if (fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private startServer(): void {
    // fsync off: an immediate stop is a crash of the server, not of the machine; the OS keeps what was written.
    const options = [`-p ${this.port}`, `-k ${this.dir}`, "-c listen_addresses='127.0.0.1'", '-c max_connections=200', '-c fsync=off'];
    this.run('pg_ctl', ['-D', this.dataDir, '-l', path.join(this.dir, 'server.log'), '-o', options.join(' '), '-w', 'start']);
  }

  private run(program: string, args: string[]): SpawnSyncReturns<string> {
    const command = path.join(this.bin, program);
    const result = this.asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8', timeout: 120_000 })
      : spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) {
      const log = path.join(this.dir, 'server.log');
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
      throw new Error(`${program} ${args.join(' ')} failed (${String(result.status)}):\n${result.stdout}\n${result.stderr}\n${tail}`);
    }
    return result;
  }
}
