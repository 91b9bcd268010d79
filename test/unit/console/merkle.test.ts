/**
 * The console's in-browser proof check (apps/console/src/merkle.ts, signed-note.ts) against what the server
 * really hands out: events appended to a real SQLite evidence store, a checkpoint signed by the server's
 * own code, and inclusion proofs as the API's GET /v1/evidence/proofs/inclusion answers them (same
 * functions). The console must accept every real proof and refuse each kind of tampering.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inclusionJson } from '../../../apps/api/src/evidence/evidence-answers';
import { checkInclusion, type EvidenceEnvelope, type InclusionProof, canonicalJson } from '../../../apps/console/src/merkle';
import { parseCheckpointNote } from '../../../apps/console/src/signed-note';
import { canonicalize } from '../../../domain/evidence/canonical-json';
import { signCheckpoint } from '../../../infra/event-store/evidence-checkpoints';
import { proveInclusion } from '../../../infra/event-store/evidence-proofs';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { generateSignerKey, parseSignerKey } from '../../../infra/event-store/signed-note';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';

const ORIGIN = 'example.test/aims-console-proofs';
const signer = parseSignerKey(generateSignerKey('aims-console-test-log').signerKey);
const EVENTS = 13;

let dir: string;
let store: EventStore;
/** Each event as the console receives it: the API's JSON of the recorded event. */
let received: EvidenceEnvelope[];

/** The proof as the API's JSON, for event `e` in the tree of `treeSize` (default: the latest checkpoint's). */
async function proofOf(e: EvidenceEnvelope, treeSize?: number): Promise<InclusionProof> {
  return inclusionJson(await proveInclusion(store, { eventId: e.id }, treeSize), 'base64');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-merkle-'));
  store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
  for (let i = 0; i < EVENTS; i++) {
    await store.append(`ai-system-${i % 3}`, [
      {
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        type: 'AiSystemChanged',
        // Members whose canonical order and text are easy to get wrong: non-ASCII names, numbers, escapes.
        data: {
          step: i,
          zeta: 'é😀',
          Zulu: 'A',
          ä: [1.5, 1e21, 0.1, true, null],
          line: 'a\u2028b\u0007"\\',
          nested: { b: 2, a: { y: 1, x: 0 } },
        },
        metadata: { actor: { id: 'ann', role: 'engineer' } },
      },
    ]);
    if (i === 0) await signCheckpoint(store, ORIGIN, signer);
  }
  await signCheckpoint(store, ORIGIN, signer);
  const recorded: RecordedEvidenceEvent[] = [];
  for await (const e of store.readAll()) recorded.push(e);
  received = recorded.map((e) => JSON.parse(JSON.stringify(e)) as EvidenceEnvelope);
});

afterAll(async () => {
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('canonicalJson', () => {
  it('given the event data, when written, then it is byte for byte the server’s RFC 8785 text', () => {
    for (const e of received) {
      expect(canonicalJson(e.data)).toBe(canonicalize(e.data));
      expect(canonicalJson(e.metadata)).toBe(canonicalize(e.metadata));
    }
  });
});

describe('parseCheckpointNote', () => {
  it('given the server’s signed checkpoint, then origin, size, root and the signing key are read from it', async () => {
    const latest = await store.latestCheckpoint();
    const note = parseCheckpointNote(latest!.note);
    expect(note).toEqual({
      origin: ORIGIN,
      treeSize: EVENTS,
      rootHash: latest!.rootHash.toString('base64'),
      signatures: [
        {
          name: signer.name,
          keyHash: signer.keyHash.toString(16).padStart(8, '0'),
          line: expect.stringMatching(/^— aims-console-test-log /),
        },
      ],
    });
  });

  it('given text that is not a signed checkpoint, then it is refused', () => {
    expect(() => parseCheckpointNote('origin\n3\nroot\n')).toThrow(/signature block/);
    expect(() => parseCheckpointNote('origin\nthree\nAAAA\n\n— k AAAAAAAA\n')).toThrow(/tree size/);
    expect(() => parseCheckpointNote(`origin\n3\n${'A'.repeat(40)}==\n\n— k AAAAAAAA\n`)).toThrow(/root hash/);
    expect(() => parseCheckpointNote(`origin\n3\n${'A'.repeat(43)}=\n\n- k AAAAAAAA\n`)).toThrow(/signature line/);
  });
});

describe('checkInclusion', () => {
  it('given every event and the server’s proof in the latest signed tree, then each is verified', async () => {
    for (const e of received) {
      await expect(checkInclusion(e, await proofOf(e))).resolves.toEqual({
        verified: true,
        treeSize: EVENTS,
        rootHash: (await store.latestCheckpoint())!.rootHash.toString('base64'),
        origin: ORIGIN,
      });
    }
  });

  it('given the first event in the signed tree of size 1 (an empty audit path), then it is verified', async () => {
    const proof = await proofOf(received[0], 1);
    expect(proof.auditPath).toEqual([]);
    await expect(checkInclusion(received[0], proof)).resolves.toMatchObject({ verified: true, treeSize: 1 });
  });

  it('given the event changed after it was proved, then the leaf differs and it is not verified', async () => {
    const e = received[5];
    const proof = await proofOf(e);
    const changed = { ...e, data: { ...e.data, step: 99 } };
    await expect(checkInclusion(changed, proof)).resolves.toEqual({
      verified: false,
      reason: expect.stringMatching(/leaf computed from this event/),
    });
  });

  it('given a hash of the audit path changed, then the path does not lead to the signed root', async () => {
    const e = received[6];
    const proof = await proofOf(e);
    const bytes = Buffer.from(proof.auditPath[1], 'base64');
    bytes[0] ^= 1;
    const tampered = { ...proof, auditPath: proof.auditPath.map((h, i) => (i === 1 ? bytes.toString('base64') : h)) };
    await expect(checkInclusion(e, tampered)).resolves.toEqual({ verified: false, reason: expect.stringMatching(/signed root hash/) });
  });

  it('given the audit path shortened or lengthened, then it is not verified', async () => {
    const e = received[7];
    const proof = await proofOf(e);
    for (const auditPath of [proof.auditPath.slice(1), [...proof.auditPath, proof.auditPath[0]]]) {
      await expect(checkInclusion(e, { ...proof, auditPath })).resolves.toMatchObject({ verified: false });
    }
  });

  it('given the server’s root but a checkpoint signing another root, then it is not verified', async () => {
    const e = received[2];
    const proof = await proofOf(e);
    const other = (await store.checkpoint({ treeSize: 1 }))!;
    const lines = proof.checkpoint!.split('\n');
    lines[2] = other.rootHash.toString('base64');
    await expect(checkInclusion(e, { ...proof, checkpoint: lines.join('\n') })).resolves.toEqual({
      verified: false,
      reason: expect.stringMatching(/signed root hash/),
    });
  });

  it('given no checkpoint, another event’s proof, or a checkpoint of another size, then it is not verified', async () => {
    const e = received[3];
    const proof = await proofOf(e);
    await expect(checkInclusion(e, { ...proof, checkpoint: null })).resolves.toEqual({
      verified: false,
      reason: `no signed checkpoint vouches for the tree of size ${EVENTS}`,
    });
    await expect(checkInclusion(received[4], proof)).resolves.toMatchObject({
      verified: false,
      reason: expect.stringMatching(/not this one/),
    });
    const small = (await store.checkpoint({ treeSize: 1 }))!.note;
    await expect(checkInclusion(e, { ...proof, checkpoint: small })).resolves.toMatchObject({
      verified: false,
      reason: `the checkpoint signs size 1, the proof is for ${EVENTS}`,
    });
  });
});
