/**
 * `aims keys rotate` on a real SQLite store: the rotation is recorded as evidence and both keys sign a
 * checkpoint covering it; with both verifier keys configured, checkpoints by either verify; with only the
 * new one, a checkpoint by the old key is refused, saying why.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evidenceCommand, EvidenceIo } from '../../../apps/cli/src/commands/evidence.command';
import { keysCommand } from '../../../apps/cli/src/commands/keys.command';
import { UsageError } from '../../../apps/cli/src/usage-error';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { StoredCheckpoint } from '../../../infra/ports/event-store.port';

describe('aims keys rotate', () => {
  let dir: string;
  let url: string;
  let oldKey: string;
  const saved = { ...process.env };

  /** `aims evidence …` on this store. */
  const run = async (...args: string[]): Promise<{ code: number; out: string }> => {
    const out: string[] = [];
    const io: EvidenceIo = { stdout: (t) => out.push(t), stderr: () => undefined, progress: false };
    const code = await evidenceCommand([...args, '--store', url], io);
    return { code, out: out.join('') };
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-keys-rotate-'));
    url = `sqlite:${path.join(dir, 'evidence.db')}`;
    const printed: string[] = [];
    await keysCommand(['generate', '--name', 'example.test/aims-2025', '--out', path.join(dir, 'old.key')], (t) => printed.push(t));
    oldKey = printed.join('').trim();
    process.env.AIMS_LOG_ORIGIN = 'example.test/aims';
    process.env.AIMS_CHECKPOINT_KEY_FILE = path.join(dir, 'old.key');
    delete process.env.AIMS_CHECKPOINT_VERIFIER_KEYS;
    const store = await openEventStore(url);
    for (let i = 0; i < 6; i++) await store.append('ai-system-7', [{ id: randomUUID(), type: 'AiSystemChanged', data: { i } }]);
    await store.close();
    expect((await run('checkpoint')).code).toBe(0);
  });

  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given a signer key, when rotated, then the rotation is evidence, both keys sign it, and either key’s checkpoints verify', async () => {
    const printed: string[] = [];
    expect(
      await keysCommand(['rotate', '--name', 'example.test/aims-2026', '--out', path.join(dir, 'new.key'), '--store', url], (t) =>
        printed.push(t),
      ),
    ).toBe(0);
    const newKey = printed.join('').split('\n')[0];
    expect(newKey).toMatch(/^example\.test\/aims-2026\+[0-9a-f]{8}\+/);
    expect(fs.statSync(path.join(dir, 'new.key')).mode & 0o777).toBe(0o600);

    const store = await openEventStore(url);
    const rotations = [];
    for await (const e of store.readStream('evidence-log-keys')) rotations.push(e);
    const checkpoints: StoredCheckpoint[] = [];
    for await (const c of store.listCheckpoints()) checkpoints.push(c);
    await store.close();
    expect(rotations).toEqual([
      expect.objectContaining({
        type: 'CheckpointKeyRotated',
        position: 7,
        data: { origin: 'example.test/aims', oldVerifierKey: oldKey, newVerifierKey: newKey },
        metadata: expect.objectContaining({ source: 'aims keys rotate', actor: expect.objectContaining({ role: 'operator' }) }),
      }),
    ]);
    expect(checkpoints.map((c) => [c.treeSize, c.keyName])).toEqual([
      [6, 'example.test/aims-2025'],
      [7, 'example.test/aims-2025'],
      [7, 'example.test/aims-2026'],
    ]);

    process.env.AIMS_CHECKPOINT_KEY_FILE = path.join(dir, 'new.key');
    process.env.AIMS_CHECKPOINT_VERIFIER_KEYS = `${oldKey} ${newKey}`;
    fs.writeFileSync(path.join(dir, 'by-old.note'), checkpoints[0].note);
    expect((await run('prove', '--position', '3', '--checkpoint', path.join(dir, 'by-old.note'))).code).toBe(0);
    const byNew = await run('prove', '--position', '7');
    expect(byNew).toMatchObject({ code: 0, out: expect.stringMatching(/signed by example\.test\/aims-2026\nVERIFIED/) });
    expect((await run('verify')).out).toMatch(
      /checked against: the signed checkpoint example\.test\/aims at size 7, signed by example\.test\/aims-2026/,
    );

    // The old key no longer published: its checkpoints are refused, with the reason.
    process.env.AIMS_CHECKPOINT_VERIFIER_KEYS = newKey;
    const refused = await run('prove', '--position', '3', '--checkpoint', path.join(dir, 'by-old.note'));
    expect(refused).toMatchObject({ code: 1, out: expect.stringMatching(/refused: no signature by a known key/) });
  });

  it('given no current signer key, or an existing FILE, then a usage error and nothing recorded', async () => {
    await expect(
      keysCommand(['rotate', '--name', 'x', '--out', path.join(dir, 'old.key'), '--store', url], () => undefined),
    ).rejects.toThrow(/cannot write/);
    delete process.env.AIMS_CHECKPOINT_KEY_FILE;
    await expect(keysCommand(['rotate', '--name', 'x', '--out', path.join(dir, 'x.key'), '--store', url], () => undefined)).rejects.toThrow(
      UsageError,
    );
    const store = await openEventStore(url);
    expect(await store.streamRevision('evidence-log-keys')).toBeNull();
    await store.close();
  });
});
