/**
 * Past checkpoints and the tree's stored hashes, read back on every adapter (issue 12 item 3): one by id
 * or tree size, all of them paged, an event by its id, witness cosignatures, in either direction, and the complete-subtree hashes a tlog-tiles hash
 * tile is made of.
 */
import { signCheckpoint } from '../../../infra/event-store/evidence-checkpoints';
import { RFC6962_SHA256 } from '../../../infra/event-store/rfc6962-hasher';
import { generateSignerKey, parseSignerKey } from '../../../infra/event-store/signed-note';
import type { EventStore, StoredCheckpoint } from '../../../infra/ports/event-store.port';
import { collect, EventStoreHarness, newEvent } from './event-store.contract';

export function checkpointReadsContract(adapterName: string, createHarness: () => Promise<EventStoreHarness>): void {
  describe(`past checkpoints and tree hashes: ${adapterName}`, () => {
    const signer = parseSignerKey(generateSignerKey('aims-test-log-key').signerKey);
    const origin = 'example.test/aims-evidence';
    let harness: EventStoreHarness;
    let store: EventStore;
    let signed: StoredCheckpoint[];

    beforeEach(async () => {
      harness = await createHarness();
      store = await harness.open();
      signed = [];
      for (let i = 0; i < 5; i++) {
        await store.append(`ai-system-${i}`, [newEvent(), newEvent('AiSystemChanged', { step: i })]);
        signed.push(await signCheckpoint(store, origin, signer));
      }
      // A second checkpoint of the same size (another worker signing the same tree).
      signed.push(await signCheckpoint(store, origin, signer));
    });
    afterEach(async () => {
      await store.close();
      await harness.dispose();
    });

    it('given stored checkpoints, when read by id or by tree size, then the one stored (the latest of that size), else null', async () => {
      expect(await store.checkpoint({ id: signed[1].id })).toEqual(signed[1]);
      expect(await store.checkpoint({ treeSize: 6 })).toEqual(signed[2]);
      expect(await store.checkpoint({ treeSize: 10 })).toEqual(signed[5]);
      expect(await store.checkpoint({ treeSize: 7 })).toBeNull();
      expect(await store.checkpoint({ id: signed[5].id + 100 })).toBeNull();
      await expect(store.checkpoint({ treeSize: -1 })).rejects.toThrow(/treeSize/);
    });

    it('when listed in small pages, either way, then every checkpoint once, in id order, and from a cursor', async () => {
      expect(await collect(store.listCheckpoints({ pageSize: 2 }))).toEqual(signed);
      expect(await collect(store.listCheckpoints({ pageSize: 4, direction: 'backwards' }))).toEqual([...signed].reverse());
      expect(await collect(store.listCheckpoints({ pageSize: 2, afterId: signed[2].id }))).toEqual(signed.slice(3));
      expect(await collect(store.listCheckpoints({ direction: 'backwards', afterId: signed[2].id }))).toEqual(signed.slice(0, 2).reverse());
      expect(await collect(store.listCheckpoints({ maxCount: 3, pageSize: 2 }))).toEqual(signed.slice(0, 3));
      await expect(collect(store.listCheckpoints({ pageSize: 0 }))).rejects.toThrow(/pageSize/);
    });

    it('given an event id, then the event as read in order; an unknown id is null', async () => {
      const [, second] = await collect(store.readAll({ maxCount: 2 }));
      expect(await store.eventById(second.id)).toEqual(second);
      expect(await store.eventById('no-such-event')).toBeNull();
    });

    it('given cosignatures of a checkpoint, then stored once each, in order, apart from other checkpoints, and never changed', async () => {
      const line = (n: number): string => `\u2014 witness.example/w${n} ${Buffer.alloc(76, n).toString('base64')}`;
      const first = await store.addCosignature({
        checkpointId: signed[1].id,
        witness: 'witness.example/w1',
        keyId: 0xfedcba98,
        timestamp: 1_767_225_600,
        line: line(1),
      });
      expect(first).toMatchObject({
        alreadyStored: false,
        cosignature: { checkpointId: signed[1].id, keyId: 0xfedcba98, timestamp: 1_767_225_600, line: line(1) },
      });
      const again = await store.addCosignature({
        checkpointId: signed[1].id,
        witness: 'witness.example/w1',
        keyId: 0xfedcba98,
        timestamp: 1_767_225_600,
        line: line(1),
      });
      expect(again).toEqual({ alreadyStored: true, cosignature: first.cosignature });
      await store.addCosignature({
        checkpointId: signed[1].id,
        witness: 'witness.example/w2',
        keyId: 2,
        timestamp: 1_767_225_601,
        line: line(2),
      });
      await store.addCosignature({
        checkpointId: signed[2].id,
        witness: 'witness.example/w1',
        keyId: 1,
        timestamp: 1_767_225_602,
        line: line(3),
      });
      expect((await store.cosignatures(signed[1].id)).map((c) => c.line)).toEqual([line(1), line(2)]);
      expect(await store.cosignatures(signed[0].id)).toEqual([]);
      await expect(
        store.addCosignature({ checkpointId: signed[5].id + 10, witness: 'w', keyId: 1, timestamp: 1, line: line(4) }),
      ).rejects.toThrow();
      const tamper = await harness.tamper();
      try {
        await expect(tamper.execute(`UPDATE evidence_cosignatures SET timestamp = 0`)).rejects.toThrow(/append-only|refuse/i);
        await expect(tamper.execute(`DELETE FROM evidence_cosignatures`)).rejects.toThrow(/append-only|refuse/i);
      } finally {
        await tamper.close();
      }
    });

    it('when stored subtree hashes are read, then they rebuild the roots; an incomplete subtree is refused', async () => {
      const leaves = await store.treeNodeHashes(0, 0, 10);
      expect(leaves).toHaveLength(10);
      const pairs = await store.treeNodeHashes(1, 0, 5);
      expect(pairs[4]).toEqual(Buffer.from(RFC6962_SHA256.hashChildren(leaves[8], leaves[9])));
      const [eight] = await store.treeNodeHashes(3, 0, 1);
      const head = await store.treeHead();
      expect(head.rootHash).toEqual(Buffer.from(RFC6962_SHA256.hashChildren(eight, pairs[4])));
      expect(await store.treeNodeHashes(2, 1, 0)).toEqual([]);
      await expect(store.treeNodeHashes(2, 2, 1)).rejects.toThrow(/no complete subtree at level 2, index 2/);
      await expect(store.treeNodeHashes(0, 5, 6)).rejects.toThrow(/no complete subtree/);
    });
  });
}
