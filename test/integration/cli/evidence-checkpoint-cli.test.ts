/**
 * `aims keys generate`, `aims evidence checkpoint`, `aims evidence tree rebuild`, and `aims evidence verify`
 * using the latest signed checkpoint, on a real SQLite store; the tree's leaves are the export's lines.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { evidenceCommand, EvidenceIo } from '../../../apps/cli/src/commands/evidence.command';
import { keysCommand } from '../../../apps/cli/src/commands/keys.command';
import { openEventStore } from '../../../infra/event-store/open-event-store';

function captureIo(): EvidenceIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: false };
}

const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
function rfc6962Root(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), rfc6962Root(leaves.slice(0, k)), rfc6962Root(leaves.slice(k)));
}

describe('aims evidence checkpoint / tree / verify with a checkpoint', () => {
  let dir: string;
  let url: string;
  const saved = { ...process.env };

  const append = async (count: number): Promise<void> => {
    const store = await openEventStore(url);
    for (let i = 0; i < count; i++) {
      await store.append('ai-system-42', [
        { id: randomUUID(), type: 'MonitoringReportRecorded', data: { window: i, note: 'naïve ✓' }, metadata: {} },
      ]);
    }
    await store.close();
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-checkpoint-cli-'));
    url = `sqlite:${path.join(dir, 'evidence.db')}`;
    const printed: string[] = [];
    expect(
      await keysCommand(['generate', '--name', 'example.test/aims', '--out', path.join(dir, 'signer.key')], (t) => printed.push(t)),
    ).toBe(0);
    expect(printed.join('')).toMatch(/^example\.test\/aims\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
    expect(fs.statSync(path.join(dir, 'signer.key')).mode & 0o777).toBe(0o600);
    process.env.AIMS_CHECKPOINT_KEY_FILE = path.join(dir, 'signer.key');
    process.env.AIMS_LOG_ORIGIN = 'example.test/aims';
    await append(7);
  });

  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to overwrite a key file', async () => {
    await expect(keysCommand(['generate', '--name', 'x', '--out', path.join(dir, 'signer.key')], () => undefined)).rejects.toThrow(
      /EEXIST/,
    );
  });

  it('signs and stores a checkpoint whose root is RFC 6962 over the exported lines; verify then uses it', async () => {
    const io = captureIo();
    expect(await evidenceCommand(['checkpoint', '--store', url], io)).toBe(0);
    const note = io.out.join('');
    expect(note).toMatch(/^example\.test\/aims\n7\n[A-Za-z0-9+/]{43}=\n\n\u2014 example\.test\/aims [A-Za-z0-9+/]+=*\n$/);

    const exported = path.join(dir, 'evidence.jsonl');
    expect(await evidenceCommand(['export', '--store', url, '--out', exported], captureIo())).toBe(0);
    const lines = fs.readFileSync(exported, 'utf8').split('\n').slice(0, -1);
    const root = rfc6962Root(lines.map((l) => sha(Buffer.from([0]), Buffer.from(l, 'utf8'))));
    expect(note.split('\n')[2]).toBe(root.toString('base64'));

    const rebuilt = captureIo();
    expect(await evidenceCommand(['tree', 'rebuild', '--store', url], rebuilt)).toBe(0);
    expect(rebuilt.out.join('')).toBe(`evidence tree rebuilt: 7 event(s), root ${root.toString('hex')}\n`);

    await append(2);
    const verified = captureIo();
    expect(await evidenceCommand(['verify', '--store', url], verified)).toBe(0);
    expect(verified.out.join('')).toMatch(
      /checked against: the signed checkpoint example\.test\/aims at size 7, signed by example\.test\/aims/,
    );
    expect(verified.out.join('')).toMatch(/a consistent rewrite of the events after the checkpoint \(positions 8 to 9\)/);
  });

  it('given the store cut below the checkpoint, verify exits 1 naming the missing position', async () => {
    expect(await evidenceCommand(['checkpoint', '--store', url], captureIo())).toBe(0);
    const db = new Database(path.join(dir, 'evidence.db'));
    db.exec('DROP TRIGGER evidence_events_refuse_delete; DELETE FROM evidence_events WHERE position > 5;');
    db.close();
    const io = captureIo();
    expect(await evidenceCommand(['verify', '--store', url, '--json'], io)).toBe(1);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ intact: false, problem: 'event-missing', position: 6 });
  });

  it('without a key, checkpoint says how to configure one', async () => {
    delete process.env.AIMS_CHECKPOINT_KEY_FILE;
    await expect(evidenceCommand(['checkpoint', '--store', url], captureIo())).rejects.toThrow(/AIMS_CHECKPOINT_KEY_FILE/);
  });
});
