/**
 * `aims tokens …` and `aims projections …` against a real SQLite store, through the CLI's own router.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectionsCommand } from '../../../apps/cli/src/commands/projections.command';
import { tokensCommand } from '../../../apps/cli/src/commands/tokens.command';
import { run } from '../../../apps/cli/src/main';
import { UsageError } from '../../../apps/cli/src/usage-error';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { appendSample } from '../../support/sample-evidence';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

describe('aims tokens and aims projections', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-cli-'));
  const store = `sqlite:${path.join(dir, 'evidence.db')}`;

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('given a name and roles, when a token is created, then it is printed once and works; list shows it without the secret', async () => {
    const created = capture();
    expect(await tokensCommand(['create', '--name', 'pipeline', '--role', 'ci', '--role', 'engineer', '--store', store], created.io)).toBe(
      0,
    );
    const token = created.out.join('').trim();
    expect(token).toMatch(/^aims_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.err.join('')).toMatch(/shown only now/);
    const tokens = await openTokenStore(store);
    try {
      expect(await tokens.authenticate(token)).toMatchObject({
        name: 'pipeline',
        roles: ['ci', 'engineer'],
        createdBy: expect.stringMatching(/^cli:/),
      });
    } finally {
      await tokens.close();
    }
    const listed = capture();
    expect(await tokensCommand(['list', '--json', '--store', store], listed.io)).toBe(0);
    const records = JSON.parse(listed.out.join(''));
    expect(records).toEqual([expect.objectContaining({ name: 'pipeline', roles: ['ci', 'engineer'], revokedAt: null })]);
    expect(listed.out.join('')).not.toContain(token.slice(22));
  });

  it('given a created token, when revoked by name, then list shows it only with --all', async () => {
    await tokensCommand(['create', '--name', 'temp', '--role', 'auditor', '--expires-in', '30d', '--store', store], capture().io);
    const revoked = capture();
    expect(await tokensCommand(['revoke', 'temp', '--store', store], revoked.io)).toBe(0);
    expect(revoked.out.join('')).toMatch(/revoked token "temp"/);
    const active = capture();
    await tokensCommand(['list', '--store', store], active.io);
    expect(active.out.join('')).not.toMatch(/temp/);
    const all = capture();
    await tokensCommand(['list', '--all', '--store', store], all.io);
    expect(all.out.join('')).toMatch(/temp .*revoked/);
  });

  it('given an active token, when rotated, then the new token is printed once, works, and the old one is revoked', async () => {
    const created = capture();
    await tokensCommand(['create', '--name', 'Rotor', '--role', 'validator', '--store', store], created.io);
    const old = created.out.join('').trim();
    const rotated = capture();
    expect(await tokensCommand(['rotate', 'ROTOR', '--store', store], rotated.io)).toBe(0);
    const fresh = rotated.out.join('').trim();
    expect(rotated.err.join('')).toMatch(/token "rotor" .*roles validator.*replaces [0-9a-f]{16}, now revoked/);
    const tokens = await openTokenStore(store);
    try {
      expect(await tokens.authenticate(old)).toBeNull();
      expect(await tokens.authenticate(fresh)).toMatchObject({ name: 'rotor', roles: ['validator'] });
    } finally {
      await tokens.close();
    }
  });

  it('given a token revoked by its id, when the CLI says so, then it names how the argument matched', async () => {
    const created = capture();
    await tokensCommand(['create', '--name', 'by-id', '--role', 'ci', '--json', '--store', store], created.io);
    const { id } = JSON.parse(created.out.join('')) as { id: string };
    const revoked = capture();
    expect(await tokensCommand(['revoke', id, '--store', store], revoked.io)).toBe(0);
    expect(revoked.out.join('')).toMatch(new RegExp(`revoked token "by-id" \\(id ${id}, matched by its id\\)`));
  });

  it.each([
    [['create', '--role', 'ci'], /--name/],
    [['create', '--name', 'x'], /--role/],
    [['create', '--name', 'x', '--role', 'root'], /unknown role root/],
    [['create', '--name', 'x', '--role', 'ci', '--expires-in', 'soon'], /--expires-in/],
    [['create', '--name', 'Pipeline', '--role', 'ci'], /"pipeline" was already issued/],
    [['create', '--name', 'temp', '--role', 'ci'], /aims tokens rotate temp/],
    [['create', '--name', 'aims:system', '--role', 'admin'], /reserved/],
    [['revoke', 'nobody'], /no active token named so/],
    [['rotate', 'temp'], /no active token named so/],
    [['revoke'], /exactly one ID or NAME/],
    [['frobnicate'], /unknown tokens subcommand/],
  ])('given %j, when run, then it is a usage error naming the problem', async (args, message) => {
    const argv = [...args, ...(args[0] === 'frobnicate' ? [] : ['--store', store])];
    await expect(tokensCommand(argv, capture().io)).rejects.toThrow(message);
    await expect(tokensCommand(argv, capture().io)).rejects.toBeInstanceOf(UsageError);
  });

  it('given evidence, when projections are rebuilt, then they reach the head and status says so', async () => {
    const events = await openEventStore(store);
    let head: number;
    try {
      head = await appendSample(events);
    } finally {
      await events.close();
    }
    const rebuilt = capture();
    expect(await projectionsCommand(['rebuild', '--json', '--store', store], rebuilt.io)).toBe(0);
    expect(JSON.parse(rebuilt.out.join(''))).toMatchObject({ checkpoint: head, head });
    const status = capture();
    expect(await projectionsCommand(['status', '--json', '--store', store], status.io)).toBe(0);
    expect(JSON.parse(status.out.join(''))).toMatchObject({
      checkpoint: head,
      head,
      fingerprint:
        'ai_systems@1,audit_programmes@1,documents@1,human_tasks@2,improvements@1,internal_audits@1,nonconformities@1,people@1,risks@2,role_assignments@1',
    });
  });

  it('given the aims router, when tokens or projections is asked without a subcommand, then it is a usage error', async () => {
    await expect(run(['tokens'])).rejects.toThrow(/tokens needs a subcommand/);
    await expect(run(['projections'])).rejects.toThrow(/projections needs a subcommand/);
  });
});
