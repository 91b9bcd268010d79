/**
 * `aims evidence erase-subject` and `aims evidence personal-data-key` (docs/personal-data.md): exit 0 and
 * the erasure recorded, 1 for an unknown subject (nothing recorded), 2-class usage errors; export keeps
 * the stored (sealed) bytes while replay shows "[erased]".
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evidenceCommand, type EvidenceIo } from '../../../apps/cli/src/commands/evidence.command';
import { UsageError } from '../../../apps/cli/src/usage-error';
import { openEventStore } from '../../../infra/event-store/open-event-store';

function captureIo(): EvidenceIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: false };
}

describe('aims evidence erase-subject', () => {
  let dir: string;
  let url: string;
  let keyFile: string;
  const saved = { ...process.env };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-erase-cli-'));
    url = `sqlite:${path.join(dir, 'evidence.db')}`;
    keyFile = path.join(dir, 'personal-data.key');
    expect(await evidenceCommand(['personal-data-key', '--out', keyFile], captureIo())).toBe(0);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    delete process.env.AIMS_PERSONAL_DATA_KEY;
    process.env.AIMS_PERSONAL_DATA_KEY_FILE = keyFile;
    process.env.AIMS_DATA_DIR = dir;
    const store = await openEventStore(url, { personalData: { keyFile } });
    await store.append('ai-system-42', [
      {
        id: randomUUID(),
        type: 'ValidationSignedOff',
        data: { signedOffBy: 'alice', systemId: '42' },
        metadata: { actor: { id: 'alice', role: 'validator' } },
      },
    ]);
    await store.close();
  });

  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('erases a known identity (exit 0, recorded), after which replay reads "[erased]" and export still carries the sealed bytes that verify', async () => {
    const io = captureIo();
    expect(await evidenceCommand(['erase-subject', 'Alice', '--reason', 'GDPR request 118', '--store', url, '--json'], io)).toBe(0);
    const outcome = JSON.parse(io.out.join('')) as { subjectId: string; position: number };
    expect(outcome).toMatchObject({ erased: true, alreadyErased: false, position: 2 });

    const replay = captureIo();
    expect(await evidenceCommand(['replay', '--stream', 'ai-system-42', '--store', url, '--json'], replay)).toBe(0);
    expect(JSON.parse(replay.out[0])).toMatchObject({ data: { signedOffBy: '[erased]' }, metadata: { actor: { id: '[erased]' } } });

    const out = path.join(dir, 'export.jsonl');
    expect(await evidenceCommand(['export', '--out', out, '--store', url], captureIo())).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/"signedOffBy":"sealed:v1:/);
    expect(lines.join('\n')).not.toMatch(/alice/i);
    expect(await evidenceCommand(['verify', '--store', url], captureIo())).toBe(0);
  });

  it('refuses an unknown identity with exit 1 and records nothing; needs a reason and the key', async () => {
    const io = captureIo();
    expect(await evidenceCommand(['erase-subject', 'mallory', '--reason', 'request', '--store', url], io)).toBe(1);
    expect(io.err.join('')).toMatch(/no personal data of "mallory"/);
    await expect(evidenceCommand(['erase-subject', 'alice', '--store', url], captureIo())).rejects.toThrow(UsageError);
    delete process.env.AIMS_PERSONAL_DATA_KEY_FILE;
    await expect(evidenceCommand(['erase-subject', 'alice', '--reason', 'r', '--store', url], captureIo())).rejects.toThrow(
      /personal data is not encrypted in this deployment/,
    );
    const store = await openEventStore(url);
    try {
      expect((await store.head())?.position).toBe(1);
    } finally {
      await store.close();
    }
  });
});
