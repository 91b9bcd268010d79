/**
 * `aims evidence pack` against real SQLite and PostgreSQL stores, and `aims evidence verify-pack` on the
 * result with the database gone (deleted file, dropped schema): a pack verifies offline. Then the pack is
 * opened with the system's own `tar`, tampered with as an attacker holding the file would, put back
 * together with `tar`, and each change is caught with its reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evidenceCommand, EvidenceIo } from '../../../apps/cli/src/commands/evidence.command';
import { keysCommand } from '../../../apps/cli/src/commands/keys.command';
import { UsageError } from '../../../apps/cli/src/usage-error';
import type { PackManifest } from '../../../domain/evidence/evidence-pack';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { formatCheckpoint, generateSignerKey, parseSignerKey, signNote } from '../../../infra/event-store/signed-note';
import type { PackVerifyReport } from '../../../infra/evidence-pack/pack-verifier';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../../support/postgres';

function captureIo(): EvidenceIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: false };
}

const ORIGIN = 'example.test/aims';
const DIGEST_V1 = `sha256:${'a1'.repeat(32)}`;
const DIGEST_V2 = `sha256:${'b2'.repeat(32)}`;
const NC = 'aims:nc-42-report-3_accuracy-0f3a9c1d';
const MEMBERS = ['manifest.json', 'checkpoint.note', 'keys.txt', 'events.jsonl', 'proofs.jsonl', 'index.md', 'index.html'];

const by = (id: string, role: string): { actor: { id: string; role: string } } => ({ actor: { id, role } });

/**
 * AI system 42's lifecycle interleaved with system 7's and an unrelated stream; 42's monitoring opens a
 * nonconformity whose own stream it names. Returns the number of events.
 */
async function seed(store: EventStore): Promise<number> {
  const steps: Array<[string, string, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'ai-system-42',
      'AiSystemRegistered',
      { systemId: '42', name: 'Crédit <script>alert(1)</script> scoring' },
      by('ana', 'ai-system-owner'),
    ],
    ['ai-system-7', 'AiSystemRegistered', { systemId: '7', name: 'Chat triage' }, by('bo', 'ai-system-owner')],
    ['ai-system-42', 'ImpactAssessmentApproved', { assessmentId: 'ia-1', revision: 1 }, by('ines', 'impact-assessor')],
    ['risk-9', 'RiskAssessed', { likelihood: 3 }, by('rui', 'risk-owner')],
    ['ai-system-42', 'ModelVersionProposed', { modelVersion: 'v1', artifactDigest: DIGEST_V1 }, by('dev', 'ml-engineer')],
    [
      'ai-system-42',
      'ValidationSignedOff',
      { validationId: 'validation-1', modelVersion: 'v1', artifactDigest: DIGEST_V1 },
      by('val', 'validator'),
    ],
    ['ai-system-7', 'ModelVersionProposed', { modelVersion: 'x1', artifactDigest: DIGEST_V2 }, by('dev', 'ml-engineer')],
    [
      'ai-system-42',
      'DeploymentRequested',
      { requestId: 'deployment-1', modelVersion: 'v1', artifactDigest: DIGEST_V1, environment: 'production', commit: 'abc123' },
      by('ci', 'ci-pipeline'),
    ],
    [
      'ai-system-42',
      'DeploymentApproved',
      { requestId: 'deployment-1', modelVersion: 'v1', artifactDigest: DIGEST_V1, environment: 'production' },
      by('carla', 'deployment-approver'),
    ],
    [
      'ai-system-42',
      'DeploymentCompleted',
      { requestId: 'deployment-1', modelVersion: 'v1', artifactDigest: DIGEST_V1, environment: 'production', production: true },
      by('system', 'system'),
    ],
    [
      'ai-system-42',
      'MonitoringThresholdBreached',
      { reportId: 'report-3', metric: 'accuracy', nonconformityId: NC },
      by('system', 'system'),
    ],
    [
      `nonconformity-${NC}`,
      'NonconformityRaised',
      { nonconformityId: NC, title: 'accuracy below threshold', aiSystemIds: ['42'] },
      by('system', 'system'),
    ],
    [
      'ai-system-7',
      'DeploymentRequested',
      { requestId: 'deployment-1', modelVersion: 'x1', artifactDigest: DIGEST_V2 },
      by('ci', 'ci-pipeline'),
    ],
    [`nonconformity-${NC}`, 'CorrectiveActionPlanApproved', { nonconformityId: NC, planId: 'plan-1', round: 1 }, by('olga', 'aims-owner')],
  ];
  for (const [stream, type, data, metadata] of steps) {
    await store.append(stream, [{ id: randomUUID(), type, data: data as never, metadata: metadata as never }]);
  }
  return steps.length;
}

type Adapter = { name: string; open: (dir: string) => { url: string; dispose: () => Promise<void> } };

const ADAPTERS: Adapter[] = [
  {
    name: 'SQLite',
    open: (dir) => {
      const file = path.join(dir, 'evidence.db');
      return { url: `sqlite:${file}`, dispose: async () => fs.rmSync(file, { force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    open: () => {
      const schema = freshSchemaName('pack');
      return { url: `${POSTGRES_URL}?schema=${schema}`, dispose: () => dropSchema(schema) };
    },
  },
];

function verifierKeyOf(dir: string): string {
  return parseSignerKey(fs.readFileSync(path.join(dir, 'signer.key'), 'utf8')).verifierKey;
}

async function verifyPack(args: string[]): Promise<{ code: number; report: PackVerifyReport }> {
  const io = captureIo();
  const code = await evidenceCommand(['verify-pack', ...args, '--json'], io);
  return { code, report: JSON.parse(io.out.join('')) as PackVerifyReport };
}

function tarMembers(file: string): string[] {
  return execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
}

describe.each(ADAPTERS)('aims evidence pack on $name', (adapter) => {
  let dir: string;
  let url: string;
  let dispose: () => Promise<void>;
  let seeded: number;
  const saved = { ...process.env };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-pack-cli-'));
    ({ url, dispose } = adapter.open(dir));
    expect(await keysCommand(['generate', '--name', ORIGIN, '--out', path.join(dir, 'signer.key')], () => undefined)).toBe(0);
    process.env.AIMS_CHECKPOINT_KEY_FILE = path.join(dir, 'signer.key');
    process.env.AIMS_LOG_ORIGIN = ORIGIN;
    const store = await openEventStore(url);
    try {
      seeded = await seed(store);
    } finally {
      await store.close();
    }
  });

  afterEach(async () => {
    process.env = { ...saved };
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('packs one AI system (its stream and its nonconformity) as of a position, and the pack verifies with the database gone', async () => {
    expect(await evidenceCommand(['checkpoint', '--store', url], captureIo())).toBe(0);
    const store = await openEventStore(url);
    await store.append('ai-system-42', [{ id: randomUUID(), type: 'MonitoringReviewDue', data: { modelVersion: 'v1' }, metadata: {} }]);
    await store.close();

    const out = path.join(dir, 'system-42.tar.gz');
    const io = captureIo();
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', '12', '--system', '42', '--out', out, '--json'], io)).toBe(0);
    const { manifest, signedCheckpoint } = JSON.parse(io.out.join('')) as { manifest: PackManifest; signedCheckpoint: boolean };
    expect(signedCheckpoint).toBe(false);
    expect(manifest.asOf).toEqual({ position: 12, requested: '12' });
    expect(manifest.checkpoint.size).toBe(seeded);
    expect(manifest.selection).toEqual({ kind: 'streams', systems: ['42'], streams: ['ai-system-42', `nonconformity-${NC}`] });
    // 42's eight events up to position 11, and the nonconformity's first at 12; nothing of system 7 or risk-9.
    expect(manifest.events).toEqual({ count: 9, firstPosition: 1, lastPosition: 12 });
    expect(manifest.streams).toEqual([
      { stream: 'ai-system-42', events: 8, lastRevision: 7 },
      { stream: `nonconformity-${NC}`, events: 1, lastRevision: 0 },
    ]);
    expect(tarMembers(out)).toEqual(MEMBERS);

    await dispose(); // no database from here on
    fs.rmSync(path.join(dir, 'signer.key'));
    process.env.AIMS_EVENT_STORE_URL = 'postgres://nobody@127.0.0.1:1/none';

    const trusted = await verifyPack([out, '--key', verifierKeyOfPack(out)]);
    expect(trusted.code).toBe(0);
    expect(trusted.report).toMatchObject({
      intact: true,
      events: 9,
      proofsChecked: 9,
      failures: [],
      trust: { kind: 'verifier-key', keyNames: [ORIGIN] },
    });
    expect(trusted.report.cannotExclude.join('\n')).not.toMatch(/self-asserted|came with the pack/);

    const selfAsserted = await verifyPack([out]);
    expect(selfAsserted.code).toBe(0);
    expect(selfAsserted.report.trust.kind).toBe('self-asserted');
    expect(selfAsserted.report.cannotExclude.join('\n')).toMatch(/came with the pack itself/);

    const text = captureIo();
    expect(await evidenceCommand(['verify-pack', out], text)).toBe(0);
    expect(text.out.join('')).toMatch(/^intact: 9 event\(s\), 9 inclusion proof\(s\)[^]*trust: SELF-ASSERTED/);
  });

  it('writes an index naming who approved what and which artefact digest shipped, escaped, with no external asset', async () => {
    expect(await evidenceCommand(['checkpoint', '--store', url], captureIo())).toBe(0);
    const out = path.join(dir, 'system-42.tar');
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', String(seeded), '--system', '42', '--out', out], captureIo())).toBe(0);
    const x = path.join(dir, 'x');
    fs.mkdirSync(x);
    execFileSync('tar', ['-xf', out, '-C', x]);
    const md = fs.readFileSync(path.join(x, 'index.md'), 'utf8');
    const html = fs.readFileSync(path.join(x, 'index.html'), 'utf8');
    expect(md).toMatch(
      new RegExp(
        `\\| 10 \\| [^|]+ \\| DeploymentCompleted \\(shipped, production\\) \\| deployment-1 \\| v1 \\| ${DIGEST_V1} \\| production \\|`,
      ),
    );
    expect(md).toMatch(/\| 9 \| [^|]+ \| DeploymentApproved \| carla \(deployment-approver\) \|/);
    expect(md).toMatch(/ValidationSignedOff \| val \(validator\)/);
    expect(md).toMatch(/CorrectiveActionPlanApproved \| olga \(aims-owner\)/);
    expect(md).toContain('Crédit \\<script\\>alert(1)\\</script\\> scoring');
    expect(md).not.toContain('Chat triage');
    expect(html).toContain(`<td>${DIGEST_V1}</td>`);
    expect(html).toContain('<td>carla (deployment-approver)</td>');
    expect(html).toContain('Crédit &#60;script&#62;alert(1)&#60;/script&#62; scoring');
    expect(html).not.toMatch(/<script|src=|href=|url\(/i);
  });

  it('packs every event as of a date, signing a checkpoint when none covers it; as of a time it stops where the clock did', async () => {
    const out = path.join(dir, 'all.tar');
    const io = captureIo();
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', '2999-12-31', '--out', out, '--json'], io)).toBe(0);
    const result = JSON.parse(io.out.join('')) as { manifest: PackManifest; signedCheckpoint: boolean };
    expect(result.signedCheckpoint).toBe(true);
    expect(result.manifest.selection).toEqual({ kind: 'all' });
    expect(result.manifest.events).toEqual({ count: seeded, firstPosition: 1, lastPosition: seeded });
    expect((await verifyPack([out, '--key', verifierKeyOf(dir)])).report).toMatchObject({
      intact: true,
      events: seeded,
      chainLinksChecked: seeded - 1,
    });

    const store = await openEventStore(url);
    const events = [];
    for await (const e of store.readAll()) events.push(e);
    await store.close();
    const time = events[5].recordedAt;
    const expected = Math.max(...events.filter((e) => e.recordedAt <= time).map((e) => e.position));
    const atTime = path.join(dir, 'at-time.tar');
    const timed = captureIo();
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', time, '--out', atTime, '--json'], timed)).toBe(0);
    const manifest = (JSON.parse(timed.out.join('')) as { manifest: PackManifest }).manifest;
    expect(manifest.asOf).toEqual({ position: expected, requested: time });
    expect(manifest.events.count).toBe(expected);
    expect((await verifyPack([atTime, '--key', verifierKeyOf(dir)])).code).toBe(0);

    await expect(evidenceCommand(['pack', '--store', url, '--as-of', '2000-01-01', '--out', atTime], captureIo())).rejects.toThrow(
      /nothing was recorded by 2000-01-01T23:59:59\.999Z/,
    );
  });

  it('without a covering checkpoint and without a signer key, says so and exits 1, writing nothing', async () => {
    expect(await evidenceCommand(['checkpoint', '--store', url], captureIo())).toBe(0);
    const store = await openEventStore(url);
    await store.append('ai-system-42', [{ id: randomUUID(), type: 'MonitoringReviewDue', data: {}, metadata: {} }]);
    await store.close();
    process.env.AIMS_CHECKPOINT_VERIFIER_KEYS = verifierKeyOf(dir);
    delete process.env.AIMS_CHECKPOINT_KEY_FILE;
    const out = path.join(dir, 'late.tar');
    const io = captureIo();
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', String(seeded + 1), '--system', '42', '--out', out], io)).toBe(1);
    expect(io.err.join('')).toMatch(
      new RegExp(`no signed checkpoint covers position ${seeded + 1} \\(the latest covers ${seeded} event\\(s\\)\\)`),
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.aims-pack-') || f.includes('.partial-'))).toEqual([]);
    // The stored checkpoint still covers an earlier point: that pack is written with the verifier key alone.
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', String(seeded), '--system', '42', '--out', out], captureIo())).toBe(0);
  });
});

/** The verifier key a pack carries (what a test would otherwise read from the organisation's publication). */
function verifierKeyOfPack(file: string): string {
  return execFileSync('tar', ['-xOf', file, 'keys.txt'], { encoding: 'utf8' }).trim();
}

describe('aims evidence verify-pack on a tampered pack', () => {
  let dir: string;
  let pack: string;
  let whole: string;
  let key: string;
  let x: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-pack-tamper-'));
    expect(await keysCommand(['generate', '--name', ORIGIN, '--out', path.join(dir, 'signer.key')], () => undefined)).toBe(0);
    process.env.AIMS_CHECKPOINT_KEY_FILE = path.join(dir, 'signer.key');
    process.env.AIMS_LOG_ORIGIN = ORIGIN;
    const url = `sqlite:${path.join(dir, 'evidence.db')}`;
    const store = await openEventStore(url);
    await seed(store);
    await store.close();
    pack = path.join(dir, 'pack.tar');
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', '14', '--system', '42', '--out', pack], captureIo())).toBe(0);
    whole = path.join(dir, 'whole.tar');
    expect(await evidenceCommand(['pack', '--store', url, '--as-of', '14', '--out', whole], captureIo())).toBe(0);
    key = verifierKeyOf(dir);
    process.env = { ...saved };
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    x = fs.mkdtempSync(path.join(dir, 'x-'));
    execFileSync('tar', ['-xf', pack, '-C', x]);
  });

  const read = (member: string): string => fs.readFileSync(path.join(x, member), 'utf8');
  const write = (member: string, text: string): void => fs.writeFileSync(path.join(x, member), text);
  const lines = (member: string): string[] => read(member).split('\n').slice(0, -1);
  const writeLines = (member: string, l: string[]): void => write(member, l.map((s) => `${s}\n`).join(''));
  /** An attacker who also fixes the manifest's digests and counts, so only the real checks remain. */
  const fixManifest = (edit: (m: PackManifest) => void = () => undefined): void => {
    const manifest = JSON.parse(read('manifest.json')) as PackManifest;
    for (const m of manifest.members) {
      const bytes = fs.readFileSync(path.join(x, m.name));
      m.size = bytes.length;
      m.sha256 = createHash('sha256').update(bytes).digest('hex');
    }
    edit(manifest);
    write('manifest.json', JSON.stringify(manifest));
  };
  const repack = (): string => {
    const out = path.join(x, 'tampered.tar');
    execFileSync('tar', ['--format=ustar', '-cf', out, '-C', x, ...MEMBERS]);
    return out;
  };
  const reasons = (report: PackVerifyReport): string[] =>
    report.failures.map((f) => `${f.member}${f.position ? `@${f.position}` : ''}:${f.reason}`);

  it('an untouched pack, re-archived with GNU tar, verifies', async () => {
    expect(await verifyPack([repack(), '--key', key])).toMatchObject({ code: 0, report: { intact: true } });
  });

  it('a changed byte in an event: its hash and its proof fail, and the manifest digest', async () => {
    const l = lines('events.jsonl');
    l[1] = l[1].replace('"ia-1"', '"ia-2"');
    writeLines('events.jsonl', l);
    const { code, report } = await verifyPack([repack(), '--key', key]);
    expect(code).toBe(1);
    expect(reasons(report)).toEqual(
      expect.arrayContaining(['events.jsonl@3:hash-mismatch', 'proofs.jsonl@3:proof-invalid', 'events.jsonl:digest-mismatch']),
    );
    expect(report.failures.find((f) => f.reason === 'hash-mismatch')!.detail).toMatch(/content changed/);
  });

  it('two events swapped: out of order, and each proof is for the other position', async () => {
    const l = lines('events.jsonl');
    [l[3], l[4]] = [l[4], l[3]];
    writeLines('events.jsonl', l);
    fixManifest();
    const { code, report } = await verifyPack([repack(), '--key', key]);
    expect(code).toBe(1);
    expect(reasons(report)).toEqual(expect.arrayContaining(['events.jsonl@6:out-of-order', 'proofs.jsonl@8:proof-mismatch']));
  });

  it('an event removed with its proof, manifest rewritten: the stream has a revision gap', async () => {
    const events = lines('events.jsonl');
    const proofs = lines('proofs.jsonl');
    const after = JSON.parse(events[4]) as { position: number };
    writeLines(
      'events.jsonl',
      events.filter((_, i) => i !== 3),
    );
    writeLines(
      'proofs.jsonl',
      proofs.filter((_, i) => i !== 3),
    );
    fixManifest((m) => {
      m.events.count -= 1;
      m.streams[0].events -= 1;
    });
    const { code, report } = await verifyPack([repack(), '--key', key]);
    expect(code).toBe(1);
    const gap = report.failures.find((f) => f.reason === 'revision-gap');
    expect(gap).toMatchObject({ member: 'events.jsonl', position: after.position });
    expect(gap!.detail).toMatch(/ai-system-42 goes to revision 4 without revision 3: an event is missing/);
  });

  it('an event removed alone: a proof has no event, counts and the digest disagree', async () => {
    writeLines('events.jsonl', lines('events.jsonl').slice(0, -1));
    const { report } = await verifyPack([repack(), '--key', key]);
    expect(reasons(report)).toEqual(
      expect.arrayContaining(['proofs.jsonl:proof-mismatch', 'events.jsonl:count-mismatch', 'events.jsonl:digest-mismatch']),
    );
  });

  it('a whole-log pack cut at its end, manifest rewritten: the missing tail is named', async () => {
    execFileSync('tar', ['-xf', whole, '-C', x]);
    writeLines('events.jsonl', lines('events.jsonl').slice(0, -2));
    writeLines('proofs.jsonl', lines('proofs.jsonl').slice(0, -2));
    fixManifest((m) => {
      m.events = { count: 12, firstPosition: 1, lastPosition: 12 };
      // positions 13 (ai-system-7, revision 2) and 14 (the nonconformity, revision 1) are gone
      m.streams = m.streams.map((st) =>
        st.stream === 'ai-system-7'
          ? { ...st, events: 2, lastRevision: 1 }
          : st.stream.startsWith('nonconformity-')
            ? { ...st, events: 1, lastRevision: 0 }
            : st,
      );
    });
    const { code, report } = await verifyPack([repack(), '--key', key]);
    expect(code).toBe(1);
    expect(report.failures).toContainEqual(expect.objectContaining({ member: 'events.jsonl', position: 13, reason: 'event-missing' }));
    expect(report.failures.find((f) => f.reason === 'event-missing')!.detail).toMatch(/positions 13 to 14 are missing/);
  });

  it('a changed proof: it no longer leads to the signed root', async () => {
    const l = lines('proofs.jsonl');
    const proof = JSON.parse(l[1]) as { position: number; hashes: string[] };
    proof.hashes[0] = proof.hashes[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    l[1] = JSON.stringify(proof);
    writeLines('proofs.jsonl', l);
    fixManifest();
    const { code, report } = await verifyPack([repack(), '--key', key]);
    expect(code).toBe(1);
    expect(reasons(report)).toEqual([`proofs.jsonl@${proof.position}:proof-invalid`]);
  });

  it('a checkpoint re-signed by an unknown key: refused with --key, and only self-asserted without', async () => {
    const forger = generateSignerKey(ORIGIN);
    const note = read('checkpoint.note');
    const body = note.slice(0, note.lastIndexOf('\n\n') + 1);
    write('checkpoint.note', signNote(body, parseSignerKey(forger.signerKey)));
    write('keys.txt', `${forger.verifierKey}\n`);
    fixManifest();
    const tampered = repack();
    const { code, report } = await verifyPack([tampered, '--key', key]);
    expect(code).toBe(1);
    expect(reasons(report)).toEqual(['checkpoint.note:checkpoint-unverified']);
    expect(report.failures[0].detail).toMatch(/no signature by a known key/);
    const own = await verifyPack([tampered]);
    expect(own.report.trust.kind).toBe('self-asserted');
    expect(own.report.cannotExclude.join('\n')).toMatch(/whoever made the pack could have signed it/);
  });

  it("a forged checkpoint root: the signature fails even with the pack's own keys", async () => {
    const note = read('checkpoint.note');
    const [origin, size] = note.split('\n');
    const forged = formatCheckpoint({ origin, size: Number(size), rootHash: Buffer.alloc(32, 9) });
    write('checkpoint.note', forged + note.slice(note.lastIndexOf('\n\n') + 1));
    fixManifest((m) => (m.checkpoint.rootHash = '09'.repeat(32)));
    const { report } = await verifyPack([repack()]);
    expect(reasons(report)).toContain('checkpoint.note:checkpoint-unverified');
    expect(reasons(report).filter((r) => r.endsWith('proof-invalid'))).toHaveLength(10);
  });

  it('a member that does not match its manifest digest is named', async () => {
    write('index.md', `${read('index.md')}\n| 99 | approved by nobody |\n`);
    const { code, report } = await verifyPack([repack(), '--key', key]);
    expect(code).toBe(1);
    expect(reasons(report)).toEqual(['index.md:digest-mismatch']);
  });

  it('a truncated archive, plain or gzip, is reported as truncated', async () => {
    const bytes = fs.readFileSync(pack);
    const cut = path.join(x, 'cut.tar');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const plain = await verifyPack([cut, '--key', key]);
    expect(plain.code).toBe(1);
    expect(plain.report.failures.map((f) => f.reason)).toContain('archive-truncated');
    const gz = path.join(x, 'pack.tar.gz');
    fs.writeFileSync(gz, execFileSync('gzip', ['-c', pack]));
    expect((await verifyPack([gz, '--key', key])).code).toBe(0);
    const gzBytes = fs.readFileSync(gz);
    fs.writeFileSync(gz, gzBytes.subarray(0, gzBytes.length - 40));
    const zipped = await verifyPack([gz, '--key', key]);
    expect(zipped.code).toBe(1);
    expect(zipped.report.failures.map((f) => f.reason)).toContain('archive-truncated');
  });

  it('bad input exits 2: no such file, a key that is not one, missing arguments, a point beyond the store', async () => {
    await expect(evidenceCommand(['verify-pack', path.join(dir, 'nope.tar')], captureIo())).rejects.toThrow(/cannot read/);
    await expect(evidenceCommand(['verify-pack', pack, '--key', 'not-a-key'], captureIo())).rejects.toBeInstanceOf(UsageError);
    await expect(evidenceCommand(['verify-pack'], captureIo())).rejects.toBeInstanceOf(UsageError);
    await expect(evidenceCommand(['pack', '--out', 'x.tar'], captureIo())).rejects.toThrow(/--as-of/);
    await expect(evidenceCommand(['pack', '--as-of', 'yesterday', '--out', 'x.tar'], captureIo())).rejects.toThrow(/--as-of must be/);
    const url = `sqlite:${path.join(dir, 'evidence.db')}`;
    await expect(evidenceCommand(['pack', '--store', url, '--as-of', '999', '--out', path.join(x, 'x.tar')], captureIo())).rejects.toThrow(
      /beyond the store's last position 14/,
    );
    await expect(
      evidenceCommand(['pack', '--store', url, '--as-of', '14', '--system', 'nobody', '--out', path.join(x, 'x.tar')], captureIo()),
    ).rejects.toThrow(/AI system nobody has no evidence/);

    // The real command's exit status, in a process of its own.
    const child = spawnSync(
      process.execPath,
      [
        '-r',
        path.join(__dirname, '../event-store/ts-register.cjs'),
        '-e',
        `require(${JSON.stringify(path.join(__dirname, '../../../apps/cli/src/main.ts'))}).runAndExit(process.argv.slice(1))`,
        'evidence',
        'verify-pack',
        path.join(dir, 'nope.tar'),
      ],
      { encoding: 'utf8' },
    );
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/aims: cannot read/);
  });
});
