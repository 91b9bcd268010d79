/**
 * `aims evidence verify|replay|export` against a real SQLite store filled through the store's API, then
 * tampered with directly in the database, as an auditor or an attacker with file access would.
 */
import { randomUUID, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { evidenceCommand, EvidenceIo } from '../../apps/cli/src/commands/evidence.command';
import { run } from '../../apps/cli/src/main';
import { UsageError } from '../../apps/cli/src/usage-error';
import { canonicalize } from '../../domain/evidence/canonical-json';
import { EVIDENCE_GENESIS_HASH } from '../../domain/evidence/evidence-envelope';
import { hashEnvelope } from '../../infra/event-store/evidence-hashing';
import { openEventStore } from '../../infra/event-store/open-event-store';

function captureIo(): EvidenceIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: true };
}

describe('aims evidence', () => {
  let dir: string;
  let url: string;
  let file: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-evidence-cli-'));
    file = path.join(dir, 'evidence.db');
    url = `sqlite:${file}`;
    const store = await openEventStore(url);
    for (let i = 0; i < 5; i++) {
      await store.append('ai-system-42', [
        {
          id: randomUUID(),
          type: 'MonitoringReportRecorded',
          data: { window: i, accuracy: 0.9 + i / 100 },
          metadata: { actor: { id: 'ci-bot', role: 'ci' } },
        },
      ]);
      await store.append('nonconformity-7', [{ id: randomUUID(), type: 'ContainmentRecorded', data: { step: i }, metadata: {} }]);
    }
    await store.close();
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('given an untouched store, when verified, then it is intact and exits 0', async () => {
    const io = captureIo();
    const code = await evidenceCommand(['verify', '--store', url, '--json'], io);
    expect(code).toBe(0);
    const report = JSON.parse(io.out.join(''));
    expect(report).toMatchObject({ intact: true, eventsChecked: 10, fromPosition: 1, toPosition: 10 });
    expect(report.scope.trustSource).toEqual({ kind: 'none' });
  });

  it('given an untouched store, when verified without and then with an anchor, then the text says what was and was not proved', async () => {
    const io = captureIo();
    expect(await evidenceCommand(['verify', '--store', url], io)).toBe(0);
    const text = io.out.join('');
    expect(text).toMatch(/^intact: 10 events, positions 1\.\.10, last hash [0-9a-f]{64}\nchecked against: none/);
    expect(text).toMatch(/this proves:\n {2}- every event at positions 1 to 10 is present/);
    expect(text).toMatch(/this cannot exclude:\n {2}- a consistent rewrite of the whole chain[^]*\n {2}- deletion of the newest events/);
    const head = /last hash ([0-9a-f]{64})/.exec(text)![1];
    const anchored = captureIo();
    expect(await evidenceCommand(['verify', '--store', url, '--anchor', `10:${head}`], anchored)).toBe(0);
    expect(anchored.out.join('')).toMatch(
      /checked against: the anchor given \(position 10, hash [0-9a-f]{64}\)[^]*still reaches the anchor/,
    );
    expect(anchored.out.join('')).not.toMatch(/whole chain/);
  });

  it('given a row rewritten with a duplicated member and its hash recomputed, when verified, then it exits 1: not canonical', async () => {
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS evidence_events_refuse_update');
    const row = db.prepare('SELECT * FROM evidence_events WHERE position = 10').get() as Record<string, string | number>;
    const data = '{"step":666,"step":4}';
    const hash = hashEnvelope({
      id: String(row.id),
      stream: String(row.stream),
      type: String(row.type),
      revision: Number(row.revision),
      position: 10,
      recordedAt: String(row.recorded_at),
      dataJson: data,
      metadataJson: String(row.metadata),
      prevHash: String(row.prev_hash),
    });
    db.prepare('UPDATE evidence_events SET data = ?, hash = ? WHERE position = 10').run(data, hash);
    db.close();
    const io = captureIo();
    expect(await evidenceCommand(['verify', '--store', url], io)).toBe(1);
    expect(io.out.join('')).toMatch(/NOT INTACT at position 10: not-canonical — [^]*stored data is not canonical JSON/);
  });

  it('given a data column changed behind the API, when verified, then it exits 1 naming the position', async () => {
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS evidence_events_refuse_update');
    db.prepare('UPDATE evidence_events SET data = ? WHERE position = 4').run('{"step":99}');
    db.close();
    const io = captureIo();
    const code = await evidenceCommand(['verify', '--store', url], io);
    expect(code).toBe(1);
    expect(io.out.join('')).toMatch(/NOT INTACT at position 4: content-changed/);
  });

  it('given a row deleted behind the API, when verified as JSON, then the report names the missing position', async () => {
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS evidence_events_refuse_delete');
    db.prepare('DELETE FROM evidence_events WHERE position = 6').run();
    db.close();
    const io = captureIo();
    expect(await evidenceCommand(['verify', '--store', url, '--json'], io)).toBe(1);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ intact: false, position: 6, problem: 'event-missing' });
  });

  it('given a stream, when replayed as of a position, then only the events recorded by then are printed', async () => {
    const io = captureIo();
    expect(await evidenceCommand(['replay', '--store', url, '--stream', 'ai-system-42', '--as-of', '5', '--json'], io)).toBe(0);
    const events = io.out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // positions 1, 3, 5 belong to ai-system-42 (the two streams alternate)
    expect(events.map((e) => e.position)).toEqual([1, 3, 5]);
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
  });

  it('given a store, when exported, then an independent re-hash of every line reproduces the chain', async () => {
    const out = path.join(dir, 'export.jsonl');
    const io = captureIo();
    expect(await evidenceCommand(['export', '--store', url, '--out', out], io)).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(10);
    let prev = EVIDENCE_GENESIS_HASH;
    lines.forEach((line, i) => {
      const envelope = JSON.parse(line);
      expect(canonicalize(envelope)).toBe(line);
      const { hash, ...hashed } = envelope;
      expect(envelope.position).toBe(i + 1);
      expect(envelope.prevHash).toBe(prev);
      expect(createHash('sha256').update(canonicalize(hashed), 'utf8').digest('hex')).toBe(hash);
      prev = hash;
    });
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('given bad arguments, when run, then a usage error is raised (exit 2)', async () => {
    await expect(evidenceCommand(['replay'], captureIo())).rejects.toBeInstanceOf(UsageError);
    await expect(evidenceCommand(['verify', '--store', url, '--from', 'zero'], captureIo())).rejects.toThrow(/--from must be a position/);
    await expect(
      evidenceCommand(['replay', '--store', url, '--stream', 'ai-system-42', '--as-of', 'yesterday'], captureIo()),
    ).rejects.toThrow(/--as-of must be/);
    await expect(run(['evidence', 'verify', '--store', 'mysql://db/x'])).rejects.toThrow(/sqlite|postgres/i);
  });
});
