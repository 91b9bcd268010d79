/**
 * Crypto-shredding (issue 12 item 6, docs/personal-data.md), on every adapter: personal fields are stored
 * sealed and read in clear; erasing a subject destroys its key and records it; the chain, the tree, a
 * signed checkpoint, an inclusion proof and an offline pack verify exactly as before; erased fields read
 * "[erased]" and everyone else's still read in clear; an erasure interrupted between its steps is
 * finished consistently.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalize } from '../../../domain/evidence/canonical-json';
import { verifyInclusion } from '../../../domain/evidence/merkle';
import type { CheckpointConfig } from '../../../infra/config/config';
import { signCheckpoint } from '../../../infra/event-store/evidence-checkpoints';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { checkInclusion, proveInclusion } from '../../../infra/event-store/evidence-proofs';
import { RFC6962_SHA256 } from '../../../infra/event-store/rfc6962-hasher';
import { parseTilePath, readEntryBundle } from '../../../infra/event-store/tlog-tiles';
import { generateSignerKey, parseSignerKey } from '../../../infra/event-store/signed-note';
import { writeEvidencePack } from '../../../infra/evidence-pack/pack-writer';
import { verifyEvidencePack } from '../../../infra/evidence-pack/pack-verifier';
import { eraseSubject, UnknownSubjectError } from '../../../infra/personal-data/erase-subject';
import { PersonalDataEventStore, storedEvidence } from '../../../infra/personal-data/personal-data-event-store';
import { generateKekText } from '../../../infra/personal-data/subject-cipher';
import type { EventStore, NewEvidenceEvent, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';

export interface ShreddingHarness {
  url: string;
  dispose(): Promise<void>;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const OPERATOR = { id: 'dpo-operator', role: 'operator' };

function approval(actor: string, extra: Record<string, unknown> = {}): NewEvidenceEvent {
  return {
    id: randomUUID(),
    type: 'ImpactAssessmentApproved',
    data: { systemId: '42', approvedBy: actor, decision: { by: { id: actor, role: 'reviewer' } }, riskLevel: 'high', ...extra },
    metadata: {
      actor: { id: actor, role: 'reviewer' },
      credential: { kind: 'jwt', issuer: 'https://idp.example', subject: actor },
      workflowId: 'ai-system-lifecycle-42',
    },
  };
}

function exportLines(events: RecordedEvidenceEvent[]): string[] {
  return events.map((e) => canonicalize(e));
}

export function cryptoShreddingContract(adapter: string, createHarness: () => Promise<ShreddingHarness>): void {
  describe(`crypto-shredding of personal data: ${adapter}`, () => {
    let harness: ShreddingHarness;
    let kek: string;
    let store: PersonalDataEventStore;

    const open = async (): Promise<PersonalDataEventStore> => {
      const opened = await openEventStore(harness.url, { personalData: { key: kek } });
      if (!(opened instanceof PersonalDataEventStore)) throw new Error('expected the crypto-shredding store');
      return opened;
    };

    beforeEach(async () => {
      harness = await createHarness();
      kek = generateKekText();
      store = await open();
    });

    afterEach(async () => {
      await store.close().catch(() => undefined);
      await harness.dispose();
    });

    it('stores personal fields sealed (no name, address or marked text in the hashed bytes), reads them in clear, and stores a retry identically', async () => {
      const event = approval('Alice', {
        contact: 'alice@example.com',
        note: { 'aims:personal': { subject: 'alice', value: 'lives in Lyon' } },
        system: { by: { id: 'aims:policy:auto-approval', role: 'system' } },
      });
      const first = await store.append('ai-system-42', [event]);
      const stored = (await storedEvidence(store).eventById(event.id)) as RecordedEvidenceEvent;
      const line = canonicalize(stored);
      expect(line).not.toMatch(/alice|Lyon/i);
      expect(stored.metadata.actor?.id).toMatch(/^sealed:v1:ps-[0-9a-f]{32}:/);
      expect(stored.data.approvedBy).toMatch(/^sealed:v1:/);
      expect(stored.data.contact).toMatch(/^sealed:v1:/);
      expect(stored.data.note).toMatch(/^sealed:v1:/);
      expect((stored.metadata.credential as { subject: string }).subject).toMatch(/^sealed:v1:/);
      // The engine's own actors and everything else stay in clear.
      expect(stored.data.system).toEqual({ by: { id: 'aims:policy:auto-approval', role: 'system' } });
      expect(stored.data.riskLevel).toBe('high');
      // Alice's fields are under one subject (the identity normalised: Alice = alice = the mark's subject);
      // a bare e-mail address is a subject of its own (nothing in the event says whose it is).
      const subjects = new Set(line.match(/ps-[0-9a-f]{32}/g));
      expect(subjects.size).toBe(2);

      const read = (await store.eventById(event.id)) as RecordedEvidenceEvent;
      expect(read.metadata.actor).toEqual({ id: 'Alice', role: 'reviewer' });
      expect(read.data).toMatchObject({
        approvedBy: 'Alice',
        contact: 'alice@example.com',
        note: 'lives in Lyon',
        decision: { by: { id: 'Alice', role: 'reviewer' } },
      });
      expect(read.hash).toBe(stored.hash);
      const [streamRead] = await collect(store.readStream('ai-system-42'));
      expect(streamRead.data.approvedBy).toBe('Alice');

      // Temporal retries the activity after a lost answer: the same event seals to the same bytes.
      const retry = await store.append('ai-system-42', [event]);
      expect(retry).toMatchObject({ alreadyRecorded: true, lastPosition: first.lastPosition });
      expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 1 });
    });

    it('erasing a subject leaves the chain, the tree, a checkpoint, an inclusion proof and a pack verifying, and reads "[erased]" for that subject only', async () => {
      // The producer marks the address as Alice's, so it is sealed under her key and erased with her.
      const alice = [
        approval('alice'),
        approval('alice', { contact: { 'aims:personal': { subject: 'Alice', value: 'alice@example.com' } } }),
      ];
      await store.append('ai-system-42', [alice[0]]);
      await store.append('ai-system-42', [approval('bob')]);
      await store.append('ai-system-42', [alice[1]]);
      const key = generateSignerKey('example.test/aims');
      const checkpoint = await signCheckpoint(store, 'example.test/aims', parseSignerKey(key.signerKey));
      const before = exportLines(await collect(storedEvidence(store).readAll()));
      const rootBefore = (await store.treeHead(3)).rootHash;
      const aliceStored = (await storedEvidence(store).eventById(alice[1].id)) as RecordedEvidenceEvent;

      const outcome = await eraseSubject(store, { subject: 'ALICE', reason: 'GDPR art. 17 request 118', by: OPERATOR, source: 'test' });
      expect(outcome).toMatchObject({ alreadyErased: false, position: 4 });

      // Nothing hashed changed: the same export lines, the same root, the chain intact.
      const after = exportLines(await collect(storedEvidence(store).readAll({ toPosition: 3 })));
      expect(after).toEqual(before);
      expect((await store.treeHead(3)).rootHash.equals(rootBefore)).toBe(true);
      expect(checkpoint.rootHash.equals(rootBefore)).toBe(true);
      expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 4 });
      expect(
        await store.verify({
          checkpoint: { origin: checkpoint.origin, size: 3, keyName: checkpoint.keyName, rootHash: rootBefore.toString('hex') },
        }),
      ).toMatchObject({
        intact: true,
      });
      // An inclusion proof of an erased subject's event, from its stored bytes, to the signed root.
      const leaf = RFC6962_SHA256.hashLeaf(Buffer.from(canonicalize(aliceStored), 'utf8'));
      const auditPath = await store.inclusionProof(3, 3);
      expect(verifyInclusion(RFC6962_SHA256, 2, 3, leaf, auditPath, checkpoint.rootHash)).toBe(true);

      // Readers: Alice's fields are erased, Bob's are not; the erasure is evidence naming only the pseudonym.
      const read = await collect(store.readAll());
      expect(read[0].metadata.actor).toEqual({ id: '[erased]', role: 'reviewer' });
      expect(read[0].data).toMatchObject({ approvedBy: '[erased]', decision: { by: { id: '[erased]', role: 'reviewer' } } });
      expect(read[2].data.contact).toBe('[erased]');
      expect(read[1].metadata.actor).toEqual({ id: 'bob', role: 'reviewer' });
      expect(read[1].data.approvedBy).toBe('bob');
      const erasure = read[3];
      expect(erasure).toMatchObject({
        type: 'PersonalDataErased',
        stream: `personal-data-${outcome.subjectId}`,
        data: { subjectId: outcome.subjectId, keyId: outcome.keyId, reason: 'GDPR art. 17 request 118' },
        metadata: { actor: OPERATOR, iso42001: { clauses: ['7.5.3'], controls: [] } },
      });
      expect(canonicalize(erasure)).not.toMatch(/alice/i);
      // Another instance (another process) reads the same.
      const other = await open();
      try {
        expect((await other.eventById(alice[0].id))?.data.approvedBy).toBe('[erased]');
        expect((await collect(other.readStream('ai-system-42')))[1].data.approvedBy).toBe('bob');
      } finally {
        await other.close();
      }

      // The offline pack, written after the erasure, verifies with the log's key and carries only ciphertext for Alice.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-shred-pack-'));
      try {
        const config: CheckpointConfig = {
          origin: 'example.test/aims',
          signerKey: { text: key.signerKey },
          verifierKeys: [],
          everyEvents: 1000,
          everyMs: 300_000,
        };
        const out = path.join(dir, 'pack.tar');
        await writeEvidencePack(store, config, { asOf: { position: 4 }, requested: '4', systems: [], streams: [], out, gzip: false });
        const report = await verifyEvidencePack(out, { keys: [key.verifierKey] });
        expect(report).toMatchObject({ intact: true, events: 4, failures: [] });
        expect(fs.readFileSync(out).toString('latin1')).not.toMatch(/alice/i);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }

      // Again: by pseudonym it was already erased; by identity nobody is known any more.
      expect(await eraseSubject(store, { subject: outcome.subjectId, reason: 'again', by: OPERATOR, source: 'test' })).toMatchObject({
        alreadyErased: true,
      });
      await expect(eraseSubject(store, { subject: 'alice', reason: 'again', by: OPERATOR, source: 'test' })).rejects.toBeInstanceOf(
        UnknownSubjectError,
      );
      // Alice acting again is a new subject, readable until erased in turn.
      const later = approval('alice');
      await store.append('ai-system-42', [later]);
      expect((await store.eventById(later.id))?.data.approvedBy).toBe('alice');
      expect(canonicalize((await storedEvidence(store).eventById(later.id)) as never)).not.toContain(outcome.subjectId);
    });

    it('a subscription (what projections follow) delivers opened fields, and "[erased]" from the erasure it delivers on', async () => {
      const first = approval('grace');
      await store.append('ai-system-42', [first]);
      const subscription = store.subscribe({ fromCheckpoint: 0, pollIntervalMs: 10 });
      const seen: RecordedEvidenceEvent[] = [];
      const iterator = subscription[Symbol.asyncIterator]();
      const next = async (): Promise<RecordedEvidenceEvent> => (await iterator.next()).value as RecordedEvidenceEvent;
      try {
        seen.push(await next());
        expect(seen[0].data.approvedBy).toBe('grace');
        await eraseSubject(store, { subject: 'grace', reason: 'request 9', by: OPERATOR, source: 'test' });
        await store.append('ai-system-42', [{ ...approval('heidi'), data: { about: first.id } }]);
        seen.push(await next(), await next());
        expect(seen.map((e) => e.type)).toEqual(['ImpactAssessmentApproved', 'PersonalDataErased', 'ImpactAssessmentApproved']);
        expect(seen[1].metadata.actor).toEqual(OPERATOR);
        expect(seen[2].metadata.actor).toEqual({ id: 'heidi', role: 'reviewer' });
        expect((await collect(store.readAll({ toPosition: 1 })))[0].data.approvedBy).toBe('[erased]');
      } finally {
        await subscription.close();
      }
    });

    it('proofs by event id and tlog entry bundles, asked of the opening store, carry the stored (sealed) bytes', async () => {
      const event = approval('ivan');
      await store.append('ai-system-42', [approval('judy'), event]);
      const answer = await proveInclusion(store, { eventId: event.id });
      expect(checkInclusion(answer, (await store.treeHead(2)).rootHash)).toBe(true);
      const bundle = await readEntryBundle(store, parseTilePath('entries/000.p/2'));
      const stored = await collect(storedEvidence(store).readAll());
      const expected = Buffer.concat(
        stored.map((e) => {
          const line = Buffer.from(canonicalize(e), 'utf8');
          const length = Buffer.alloc(2);
          length.writeUInt16BE(line.length, 0);
          return Buffer.concat([length, line]);
        }),
      );
      expect(bundle.equals(expected)).toBe(true);
      expect(bundle.toString('utf8')).not.toMatch(/ivan|judy/);
    });

    it('refuses to erase a subject it does not know, and records nothing', async () => {
      await store.append('ai-system-42', [approval('bob')]);
      const error = await eraseSubject(store, { subject: 'nobody@example.com', reason: 'request', by: OPERATOR, source: 'test' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnknownSubjectError);
      expect((error as Error).message).toMatch(/no personal data of "nobody@example.com"/);
      await expect(eraseSubject(store, { subject: `ps-${'0'.repeat(32)}`, reason: 'r', by: OPERATOR, source: 'test' })).rejects.toThrow(
        /no data subject ps-0+ is known/,
      );
      expect((await store.head())?.position).toBe(1);
    });

    it('an erasure interrupted after it began reads "[erased]" at once and is finished (recorded once, key destroyed) when the store is next opened', async () => {
      const event = approval('carol');
      await store.append('ai-system-42', [event]);
      const crash = new Error('crash after begin');
      await expect(
        eraseSubject(
          store,
          { subject: 'carol', reason: 'request 7', by: OPERATOR, source: 'test' },
          {
            afterBegin: () => {
              throw crash;
            },
          },
        ),
      ).rejects.toBe(crash);
      expect((await store.eventById(event.id))?.data.approvedBy).toBe('[erased]');
      expect((await store.head())?.position).toBe(1);
      const [pending] = await store.keys.pendingErasures();
      expect(pending.wrappedKey).not.toBeNull();
      await store.close();

      store = await open();
      expect(await store.keys.pendingErasures()).toEqual([]);
      const [row] = await store.keys.bySubjectIds([pending.subjectId]);
      expect(row).toMatchObject({ wrappedKey: null, identityDigest: null });
      expect(row.erasedAt).not.toBeNull();
      const erasures = await collect(store.readStream(`personal-data-${pending.subjectId}`));
      expect(erasures.map((e) => e.type)).toEqual(['PersonalDataErased']);
      expect(erasures[0].data.reason).toBe('request 7');
      expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 2 });
    });

    it('an erasure interrupted after it was recorded is finished by running it again, without recording it twice', async () => {
      await store.append('ai-system-42', [approval('dave')]);
      const crash = new Error('crash after record');
      const error = await eraseSubject(
        store,
        { subject: 'dave', reason: 'request 8', by: OPERATOR, source: 'test' },
        {
          afterRecorded: () => {
            throw crash;
          },
        },
      ).catch((e: unknown) => e);
      expect(error).toBe(crash);
      const [pending] = await store.keys.pendingErasures();
      expect(pending.wrappedKey).not.toBeNull();
      const again = await eraseSubject(store, { subject: pending.subjectId, reason: 'retry', by: OPERATOR, source: 'test' });
      expect(again).toMatchObject({ alreadyErased: false, subjectId: pending.subjectId, position: 2 });
      expect((await store.keys.bySubjectIds([pending.subjectId]))[0].wrappedKey).toBeNull();
      const erasures = await collect(store.readStream(`personal-data-${pending.subjectId}`));
      expect(erasures).toHaveLength(1);
      expect(erasures[0].data.reason).toBe('request 8');
      expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 2 });
    });

    it('a store opened without the key reads the stored form, as before encryption (existing readers are unchanged)', async () => {
      const event = approval('erin');
      await store.append('ai-system-42', [event]);
      const plain: EventStore = await openEventStore(harness.url);
      try {
        expect(plain).not.toBeInstanceOf(PersonalDataEventStore);
        expect((await plain.eventById(event.id))?.data.approvedBy).toMatch(/^sealed:v1:/);
        // Events recorded before encryption was turned on stay in clear, and read as they are.
        const old = approval('frank');
        await plain.append('ai-system-42', [old]);
        expect((await store.eventById(old.id))?.data.approvedBy).toBe('frank');
        expect(await store.verify()).toMatchObject({ intact: true });
      } finally {
        await plain.close();
      }
    });
  });
}
