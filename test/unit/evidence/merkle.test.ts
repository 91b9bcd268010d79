/**
 * The evidence tree's math against (a) RFC 6962 vectors published by transparency-dev/merkle (data only,
 * test/fixtures/transparency-dev-merkle) and (b) a naive reference written here straight from RFC 6962 §2.1
 * (recursive MTH, PATH, PROOF over the leaves themselves, no stored nodes), for every tree size up to 300.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  appendLeaves,
  consistencyProof,
  Digest,
  inclusionProof,
  lookupIn,
  extendFrontier,
  frontierFrom,
  MerkleFrontier,
  MerkleNodeMissingError,
  nodesForConsistency,
  nodesForInclusion,
  nodesForRoot,
  rootAt,
  TreeNode,
  verifyConsistency,
  verifyInclusion,
} from '../../../domain/evidence/merkle';
import { RFC6962_SHA256 as H } from '../../../infra/event-store/rfc6962-hasher';

const hex = (d: Digest): string => Buffer.from(d).toString('hex');

interface Vectors {
  leafInputs: string[];
  nodeHashes: string[][];
  rootHashes: string[];
}
const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../fixtures/transparency-dev-merkle/rfc6962-vectors.json'), 'utf8'),
) as Vectors;

// ---- naive reference (RFC 6962 §2.1, literally) ----
function refSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function refMth(leaves: Digest[]): Digest {
  if (leaves.length === 0) return H.emptyRoot();
  if (leaves.length === 1) return leaves[0];
  const k = refSplit(leaves.length);
  return H.hashChildren(refMth(leaves.slice(0, k)), refMth(leaves.slice(k)));
}
function refPath(m: number, leaves: Digest[]): Digest[] {
  if (leaves.length <= 1) return [];
  const k = refSplit(leaves.length);
  return m < k
    ? [...refPath(m, leaves.slice(0, k)), refMth(leaves.slice(k))]
    : [...refPath(m - k, leaves.slice(k)), refMth(leaves.slice(0, k))];
}
function refSubproof(m: number, leaves: Digest[], b: boolean): Digest[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [refMth(leaves)];
  const k = refSplit(n);
  return m <= k
    ? [...refSubproof(m, leaves.slice(0, k), b), refMth(leaves.slice(k))]
    : [...refSubproof(m - k, leaves.slice(k), false), refMth(leaves.slice(0, k))];
}
const refProof = (m: number, leaves: Digest[]): Digest[] => (m === 0 || m === leaves.length ? [] : refSubproof(m, leaves, true));

/** Builds the stored nodes incrementally, in uneven batches, as appends would. */
function buildIncrementally(leafHashes: Digest[], batch: (i: number) => number): TreeNode[] {
  const stored: TreeNode[] = [];
  let size = 0;
  for (let i = 0; size < leafHashes.length; i++) {
    const take = Math.min(batch(i), leafHashes.length - size);
    const lookup = lookupIn(stored);
    stored.push(...appendLeaves(H, lookup, size, leafHashes.slice(size, size + take)));
    size += take;
  }
  return stored;
}

describe('RFC 6962 vectors (transparency-dev/merkle testonly data)', () => {
  const leaves = vectors.leafInputs.map((h) => H.hashLeaf(Buffer.from(h, 'hex')));
  const stored = buildIncrementally(leaves, () => 1);
  const lookup = lookupIn(stored);

  it('hashes the empty tree, every leaf and every root as published', () => {
    for (let size = 0; size <= leaves.length; size++) expect(hex(rootAt(H, lookup, size))).toBe(vectors.rootHashes[size]);
  });

  it('stores exactly the published complete-subtree hashes', () => {
    vectors.nodeHashes.forEach((level, l) => level.forEach((expected, i) => expect(hex(lookup(l, i))).toBe(expected)));
    expect(stored).toHaveLength(vectors.nodeHashes.flat().length);
  });
});

describe('proofs against the naive reference, every size up to 200 (inclusion) and sampled consistency pairs', () => {
  const N = 200;
  const leaves = Array.from({ length: N }, (_, i) => H.hashLeaf(Buffer.from(`leaf ${i}`)));
  // Batches of 1, 2, 3, … 7 leaves, like group commits of different sizes.
  const lookup = lookupIn(buildIncrementally(leaves, (i) => (i % 7) + 1));
  const roots = Array.from({ length: N + 1 }, (_, n) => refMth(leaves.slice(0, n)));

  it('roots at every size', () => {
    for (let n = 0; n <= N; n++) expect(hex(rootAt(H, lookup, n))).toBe(hex(roots[n]));
  });

  it('inclusion proofs for every leaf of every size, verified, and refused when anything is off', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(H, lookup, m, n);
        expect(proof.map(hex)).toEqual(refPath(m, leaves.slice(0, n)).map(hex));
        expect(verifyInclusion(H, m, n, leaves[m], proof, roots[n])).toBe(true);
        if (n > 1) expect(verifyInclusion(H, (m + 1) % n, n, leaves[m], proof, roots[n])).toBe(false);
        expect(verifyInclusion(H, m, n, leaves[(m + 1) % N], proof, roots[n])).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(H, m, n, leaves[m], proof.slice(1), roots[n])).toBe(false);
      }
    }
    expect(verifyInclusion(H, 3, 3, leaves[3], [], roots[3])).toBe(false);
  });

  it('consistency proofs for every pair of sizes, verified, and refused when anything is off', () => {
    for (let n = 1; n <= N; n += n < 40 ? 1 : 11) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(H, lookup, m, n);
        expect(proof.map(hex)).toEqual(refProof(m, leaves.slice(0, n)).map(hex));
        expect(verifyConsistency(H, m, n, roots[m], roots[n], proof)).toBe(true);
        if (m > 0 && m < n) {
          expect(verifyConsistency(H, m, n, roots[m - 1], roots[n], proof)).toBe(false);
          expect(verifyConsistency(H, m, n, roots[m], roots[n - 1], proof)).toBe(false);
          expect(verifyConsistency(H, m, n, roots[m], roots[n], proof.slice(0, -1))).toBe(false);
        }
      }
    }
  });

  it('names exactly the stored nodes a query reads, O(log n) of them', () => {
    for (let n = 1; n <= N; n++) {
      expect(nodesForRoot(n).length).toBeLessThanOrEqual(Math.ceil(Math.log2(n + 1)));
      const m = Math.floor(n / 3);
      for (const ids of [nodesForRoot(n), nodesForInclusion(m, n), nodesForConsistency(m, n)]) {
        expect(ids.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n + 1)) + 1);
      }
      // Each answerable from its own nodes alone:
      const only = (ids: { level: number; index: number }[]) => lookupIn(ids.map((id) => ({ ...id, hash: lookup(id.level, id.index) })));
      expect(hex(rootAt(H, only(nodesForRoot(n)), n))).toBe(hex(roots[n]));
      expect(inclusionProof(H, only(nodesForInclusion(m, n)), m, n).map(hex)).toEqual(inclusionProof(H, lookup, m, n).map(hex));
      expect(consistencyProof(H, only(nodesForConsistency(m, n)), m, n).map(hex)).toEqual(consistencyProof(H, lookup, m, n).map(hex));
    }
  });

  it('reports a missing node by its coordinates', () => {
    expect(() => rootAt(H, lookupIn([]), 5)).toThrow(MerkleNodeMissingError);
  });

  it('has the frontier of a size of 2^40 + 5 at levels 40, 2, 0 (no 32-bit arithmetic)', () => {
    expect(nodesForRoot(2 ** 40 + 5)).toEqual([
      { level: 40, index: 0 },
      { level: 2, index: 2 ** 38 },
      { level: 0, index: 2 ** 40 + 4 },
    ]);
  });
});

describe('MerkleFrontier (streaming root, as verify computes it)', () => {
  it('gives the reference root at every size up to 100', () => {
    const leaves = Array.from({ length: 100 }, (_, i) => H.hashLeaf(Buffer.from(`event ${i}`)));
    const frontier = new MerkleFrontier(H);
    expect(hex(frontier.root())).toBe(hex(refMth([])));
    leaves.forEach((leaf, i) => {
      frontier.push(leaf);
      expect(hex(frontier.root())).toBe(hex(refMth(leaves.slice(0, i + 1))));
    });
  });
});

describe('Frontier (what an append keeps in memory)', () => {
  it('creates the same nodes as appendLeaves, batch by batch, from a frontier read back at any size', () => {
    const leaves = Array.from({ length: 150 }, (_, i) => H.hashLeaf(Buffer.from(`f ${i}`)));
    const stored: TreeNode[] = [];
    let frontier = frontierFrom(lookupIn([]), 0);
    for (let size = 0, i = 0; size < leaves.length; i++) {
      const batch = leaves.slice(size, size + (i % 5) + 1);
      const expected = appendLeaves(H, lookupIn(stored), size, batch);
      // Every other batch starts from a frontier read back from the stored nodes, as after a restart.
      if (i % 2 === 1) frontier = frontierFrom(lookupIn(stored), size);
      const next = extendFrontier(H, frontier, batch);
      expect(next.created.map((n) => [n.level, n.index, hex(n.hash)])).toEqual(expected.map((n) => [n.level, n.index, hex(n.hash)]));
      stored.push(...expected);
      frontier = next.frontier;
      size += batch.length;
    }
  });
});
