/**
 * `aims evidence prove` on a real SQLite store: inclusion and consistency proofs checked against signed
 * checkpoints, and each way a checkpoint or proof can be wrong caught with its reason (exit 1), bad input
 * refused (exit 2, as a UsageError the CLI turns into exit 2).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evidenceCommand, EvidenceIo } from '../../../apps/cli/src/commands/evidence.command';
import { UsageError } from '../../../apps/cli/src/usage-error';
import { signCheckpoint } from '../../../infra/event-store/evidence-checkpoints';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { formatCheckpoint, generateSignerKey, parseSignerKey, signNote } from '../../../infra/event-store/signed-note';
import type { EventStore } from '../../../infra/ports/event-store.port';

const ORIGIN = 'example.test/aims';

function captureIo(): EvidenceIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: false };
}

describe('aims evidence prove', () => {
  let dir: string;
  let url: string;
  let store: EventStore;
  let eventId: string;
  const saved = { ...process.env };
  const key = generateSignerKey('example.test/aims');
  const signer = parseSignerKey(key.signerKey);

  const prove = async (...args: string[]): Promise<{ code: number; out: string }> => {
    const io = captureIo();
    const code = await evidenceCommand(['prove', ...args, '--store', url], io);
    return { code, out: io.out.join('') };
  };
  const writeNote = (name: string, note: string): string => {
    fs.writeFileSync(path.join(dir, name), note);
    return path.join(dir, name);
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-prove-cli-'));
    url = `sqlite:${path.join(dir, 'evidence.db')}`;
    process.env.AIMS_LOG_ORIGIN = ORIGIN;
    process.env.AIMS_CHECKPOINT_VERIFIER_KEYS = key.verifierKey;
    delete process.env.AIMS_CHECKPOINT_KEY_FILE;
    delete process.env.AIMS_CHECKPOINT_KEY;
    store = await openEventStore(url);
    for (let i = 0; i < 21; i++) {
      const id = randomUUID();
      if (i === 4) eventId = id;
      await store.append(`ai-system-${i % 3}`, [{ id, type: 'MonitoringReportRecorded', data: { window: i, note: 'naïve ✓' } }]);
      if (i === 9) await signCheckpoint(store, ORIGIN, signer);
    }
    await signCheckpoint(store, ORIGIN, signer);
  });

  afterEach(async () => {
    await store.close();
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given an event id, then its inclusion in the latest checkpoint is printed and verified (exit 0)', async () => {
    const { code, out } = await prove('--event', eventId);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`event ${eventId} at position 5 \\(leaf 4\\) in the tree of 21`));
    expect(out).toMatch(/signed by example\.test\/aims\nVERIFIED/);
  });

  it('given a position and a checkpoint file of an older size, with --json, then verified against that file', async () => {
    const file = writeNote('ten.note', (await store.checkpoint({ treeSize: 10 }))!.note);
    const { code, out } = await prove('--position', '10', '--checkpoint', file, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      verified: true,
      position: 10,
      treeSize: 10,
      checkpoint: { size: 10, signedBy: ['example.test/aims'] },
    });
  });

  it('given two sizes, then the consistency proof between their checkpoints is verified', async () => {
    const { code, out } = await prove('--consistency', '10', '21');
    expect(code).toBe(0);
    expect(out).toMatch(/VERIFIED: the tree of 10 is a prefix of the tree of 21/);
  });

  it('given a checkpoint signed by an unknown key, then refused with its reason (exit 1)', async () => {
    const stranger = parseSignerKey(generateSignerKey('example.test/aims').signerKey);
    const head = await store.treeHead();
    const file = writeNote(
      'stranger.note',
      signNote(formatCheckpoint({ origin: ORIGIN, size: head.size, rootHash: head.rootHash }), stranger),
    );
    const { code, out } = await prove('--position', '3', '--checkpoint', file);
    expect(code).toBe(1);
    expect(out).toMatch(/NOT VERIFIED: the checkpoint is refused: no signature by a known key/);
  });

  it('given a checkpoint whose text was changed after signing, then refused: the signature does not verify (exit 1)', async () => {
    const note = (await store.latestCheckpoint())!.note.replace(`\n21\n`, '\n20\n');
    const { code, out } = await prove('--position', '3', '--checkpoint', writeNote('changed.note', note));
    expect(code).toBe(1);
    expect(out).toMatch(/the signature by example\.test\/aims does not verify/);
  });

  it('given a properly signed checkpoint of another root (the store rewritten since), then the proof fails (exit 1)', async () => {
    const forged = signNote(formatCheckpoint({ origin: ORIGIN, size: 21, rootHash: Buffer.alloc(32, 9) }), signer);
    const inclusion = await prove('--position', '3', '--checkpoint', writeNote('other-root.note', forged));
    expect(inclusion).toMatchObject({
      code: 1,
      out: expect.stringMatching(/NOT VERIFIED: the audit path does not lead to the signed root/),
    });
    const consistency = await prove('--consistency', '10', '21', '--checkpoint', path.join(dir, 'other-root.note'));
    expect(consistency).toMatchObject({ code: 1, out: expect.stringMatching(/NOT VERIFIED: the proof does not link/) });
  });

  it('given a checkpoint of another log, then refused (exit 1)', async () => {
    const head = await store.treeHead();
    const other = signNote(formatCheckpoint({ origin: 'other.test/log', size: head.size, rootHash: head.rootHash }), signer);
    const { code, out } = await prove('--position', '3', '--checkpoint', writeNote('other-log.note', other));
    expect(code).toBe(1);
    expect(out).toMatch(/for log "other\.test\/log", not "example\.test\/aims"/);
  });

  it.each([
    [[], /exactly one of/],
    [['--event', 'x', '--position', '1'], /exactly one of/],
    [['--position', '0'], /--position must be/],
    [['--position', '22'], /no event at position 22/],
    [['--event', 'no-such-event'], /no event no-such-event/],
    [['--consistency', '10'], /two tree sizes/],
    [['--consistency', '21', '10'], /must not be larger/],
    [['--consistency', '5', '21'], /no checkpoint of tree size 5/],
    [['--position', '3', '--checkpoint', '/no/such/file'], /cannot read --checkpoint/],
  ])('given %j, then a usage error (exit 2): %s', async (args, message) => {
    await expect(prove(...args)).rejects.toThrow(UsageError);
    await expect(prove(...args)).rejects.toThrow(message);
  });
});
