/**
 * The Merkle tree and signed checkpoints (docs/evidence-format.md §7–8), checked on every adapter:
 * the stored tree equals an independent RFC 6962 computation over the exported lines, whatever the
 * batches and writers; rebuild gives the same; proofs verify; and verify against a signed checkpoint
 * catches a truncated and a consistently rewritten store.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from '../../../domain/evidence/canonical-json';
import { verifyConsistency, verifyInclusion } from '../../../domain/evidence/merkle';
import { latestCheckpointForVerify, signCheckpoint } from '../../../infra/event-store/evidence-checkpoints';
import { hashEnvelope } from '../../../infra/event-store/evidence-hashing';
import { RFC6962_SHA256 } from '../../../infra/event-store/rfc6962-hasher';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../../../infra/event-store/signed-note';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import { collect, EventStoreHarness, newEvent } from './event-store.contract';

const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962 MTH written out again here, over the export lines themselves (no code shared with the store). */
function independentRoot(lines: string[]): string {
  const mth = (leaves: Buffer[]): Buffer => {
    if (leaves.length === 0) return sha();
    if (leaves.length === 1) return leaves[0];
    let k = 1;
    while (k * 2 < leaves.length) k *= 2;
    return sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
  };
  return mth(lines.map((line) => sha(Buffer.from([0]), Buffer.from(line, 'utf8')))).toString('hex');
}

async function exportLines(store: EventStore, toPosition?: number): Promise<string[]> {
  return (await collect(store.readAll({ toPosition }))).map((e) => canonicalize(e));
}

export function evidenceTreeContract(adapterName: string, createHarness: () => Promise<EventStoreHarness>): void {
  describe(`evidence tree and checkpoints: ${adapterName}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;
    let other: EventStore;

    beforeEach(async () => {
      harness = await createHarness();
      store = await harness.open({ pollIntervalMs: 20 });
      other = await harness.open({ pollIntervalMs: 20 });
    });
    afterEach(async () => {
      await Promise.all([store.close(), other.close()]);
      await harness.dispose();
    });

    /** Batches of 1..4 events from two instances, some concurrently (group commits of several appends). */
    const fill = async (batches: number): Promise<void> => {
      for (let i = 0; i < batches; i += 2) {
        await Promise.all([
          store.append(
            `ai-system-${i % 3}`,
            Array.from({ length: (i % 4) + 1 }, () => newEvent('AiSystemChanged', { step: i, név: 'é😀' })),
          ),
          other.append(`risk-${i % 5}`, [newEvent('RiskAssessed', { step: i })]),
          store.append(`model-${i % 2}`, [newEvent('ModelTrained', { step: i })]),
        ]);
      }
    };

    it('given an empty store, then the tree is the empty tree', async () => {
      expect(await store.treeHead()).toEqual({ size: 0, rootHash: sha() });
    });

    it('given appends in batches from two instances, then the stored root at every size equals RFC 6962 over the export lines, and proofs verify', async () => {
      await fill(24);
      const lines = await exportLines(store);
      const head = await other.treeHead();
      expect(head.size).toBe(lines.length);
      for (const size of [1, 2, 3, 7, 8, 13, lines.length]) {
        const { rootHash } = await store.treeHead(size);
        expect(rootHash.toString('hex')).toBe(independentRoot(lines.slice(0, size)));
      }
      const n = lines.length;
      for (const position of [1, 5, n]) {
        const proof = await store.inclusionProof(position, n);
        const leaf = RFC6962_SHA256.hashLeaf(Buffer.from(lines[position - 1], 'utf8'));
        expect(verifyInclusion(RFC6962_SHA256, position - 1, n, leaf, proof, head.rootHash)).toBe(true);
      }
      const old = await store.treeHead(9);
      expect(verifyConsistency(RFC6962_SHA256, 9, n, old.rootHash, head.rootHash, await store.consistencyProof(9, n))).toBe(true);
      await expect(store.treeHead(n + 1)).rejects.toThrow(/not a tree size/);
    });

    it('given a tree, when rebuilt from the events, then the same nodes and root; when the tree is lost, reopening builds it again', async () => {
      await fill(10);
      const before = await store.treeHead();
      const tamper = await harness.tamper();
      try {
        const nodes = await tamper.query('SELECT level, idx, hash FROM evidence_tree_nodes ORDER BY level, idx');
        expect(await store.rebuildTree()).toEqual(before);
        expect(await tamper.query('SELECT level, idx, hash FROM evidence_tree_nodes ORDER BY level, idx')).toEqual(nodes);
        await tamper.execute('DELETE FROM evidence_tree_nodes');
      } finally {
        await tamper.close();
      }
      if (adapterName === 'SQLite') {
        // What migration 2 does for a store that had events before the tree: the store catches up on open.
        const reopened = await harness.open();
        expect(await reopened.treeHead()).toEqual(before);
        await reopened.close();
      } else {
        expect(await store.rebuildTree()).toEqual(before);
      }
      await store.append('ai-system-9', [newEvent()]);
      expect((await store.treeHead()).rootHash.toString('hex')).toBe(independentRoot(await exportLines(store)));
    });

    describe('given a signed checkpoint of the first events', () => {
      const key = generateSignerKey('aims-test-log-key');
      const signer = parseSignerKey(key.signerKey);
      const verifiers = [parseVerifierKey(key.verifierKey)];
      const origin = 'example.test/aims-evidence';
      let size: number;

      beforeEach(async () => {
        await fill(8);
        size = (await signCheckpoint(store, origin, signer)).treeSize;
        await fill(4);
      });

      it('then verify uses it: intact, checked against the checkpoint, and says what it proves and what not', async () => {
        const checkpoint = await latestCheckpointForVerify(store, origin, verifiers);
        expect(checkpoint).toMatchObject({ origin, size, keyName: 'aims-test-log-key' });
        const report = await store.verify({ checkpoint });
        expect(report).toMatchObject({ intact: true, scope: { trustSource: { kind: 'checkpoint', origin, size } } });
        expect(report.scope.proves.join('\n')).toMatch(/equals the root signed by aims-test-log-key/);
        expect(report.scope.cannotExclude.join('\n')).toMatch(new RegExp(`after the checkpoint \\(positions ${size + 1} to`));
      });

      it('when signed by an unknown key, then it is refused', async () => {
        const stranger = [parseVerifierKey(generateSignerKey('aims-test-log-key').verifierKey)];
        await expect(latestCheckpointForVerify(store, origin, stranger)).rejects.toThrow(/no signature by a known key/);
      });

      it('when the store is truncated below the checkpoint, then verify fails: event missing', async () => {
        const tamper = await harness.tamper();
        try {
          await tamper.dropAppendOnlyTriggers();
          await tamper.execute(`DELETE FROM evidence_events WHERE position > ${size - 2}`);
        } finally {
          await tamper.close();
        }
        const checkpoint = await latestCheckpointForVerify(store, origin, verifiers);
        expect((await store.verify()).intact).toBe(true);
        expect(await store.verify({ checkpoint })).toMatchObject({ intact: false, problem: 'event-missing', position: size - 1 });
      });

      it('when the store is consistently rewritten (every hash recomputed), then only the checkpoint catches it', async () => {
        const events = await collect(store.readAll());
        const tamper = await harness.tamper();
        try {
          await tamper.dropAppendOnlyTriggers();
          let prevHash = events[1].hash;
          for (const e of events.slice(2)) {
            const changed: RecordedEvidenceEvent = { ...e, prevHash, data: e.position === 3 ? { step: 999 } : e.data };
            const hash = hashEnvelope({ ...changed, dataJson: canonicalize(changed.data), metadataJson: canonicalize(changed.metadata) });
            await tamper.execute(
              `UPDATE evidence_events SET data = '${canonicalize(changed.data)}', prev_hash = '${prevHash}', hash = '${hash}' WHERE position = ${e.position}`,
            );
            prevHash = hash;
          }
        } finally {
          await tamper.close();
        }
        const checkpoint = await latestCheckpointForVerify(store, origin, verifiers);
        expect((await store.verify()).intact).toBe(true);
        expect(await store.verify({ checkpoint })).toMatchObject({
          intact: false,
          problem: 'checkpoint-mismatch',
          position: size,
          scope: { trustSource: { kind: 'checkpoint' } },
        });
      });
    });
  });
}
