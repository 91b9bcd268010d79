/**
 * Merkle-tree math of the evidence log (RFC 6962 §2.1 / RFC 9162 §2.1), pure: no I/O, no hashing library.
 * The hash functions come in as a MerkleHasher (infra/event-store/rfc6962-hasher.ts gives SHA-256 with the
 * 0x00 / 0x01 prefixes), so this file holds only the tree shapes.
 *
 * Storage model: the hash of every COMPLETE subtree is kept, addressed by (level, index): the node at
 * level L, index i covers leaves [i·2^L, (i+1)·2^L). Any root, inclusion proof or consistency proof over a
 * tree of size n needs only O(log n) such nodes; `nodesFor*` lists them (so an adapter can read them in one
 * query), and `rootAt` / `inclusionProof` / `consistencyProof` compute from them. Appending needs only the
 * "frontier" of the current tree (nodesForRoot(size)) and yields the new complete nodes (appendLeaves).
 *
 * Sizes and indexes are plain numbers (safe integers): no bit operators, which stop at 2^31.
 */

export type Digest = Uint8Array;

export interface MerkleHasher {
  /** Root of the empty tree: SHA-256 of nothing. */
  emptyRoot(): Digest;
  /** SHA-256(0x00 ‖ data). */
  hashLeaf(data: Uint8Array): Digest;
  /** SHA-256(0x01 ‖ left ‖ right). */
  hashChildren(left: Digest, right: Digest): Digest;
}

export interface NodeId {
  level: number;
  index: number;
}

export interface TreeNode extends NodeId {
  hash: Digest;
}

/** Finds a stored complete-subtree hash; throws (MerkleNodeMissingError) when the store lacks it. */
export type NodeLookup = (level: number, index: number) => Digest;

export class MerkleNodeMissingError extends Error {
  readonly code = 'EVIDENCE_TREE_NODE_MISSING';
  constructor(
    readonly level: number,
    readonly index: number,
  ) {
    super(`the evidence tree has no node at level ${level}, index ${index}: run \`aims evidence tree rebuild\``);
    this.name = 'MerkleNodeMissingError';
  }
}

export class MerkleRangeError extends Error {
  readonly code = 'EVIDENCE_TREE_RANGE';
  constructor(detail: string) {
    super(detail);
    this.name = 'MerkleRangeError';
  }
}

const half = (x: number): number => Math.floor(x / 2);
const odd = (x: number): boolean => x % 2 === 1;

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** Largest power of two strictly below n (n ≥ 2): RFC 6962's split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function log2(powerOfTwo: number): number {
  let level = 0;
  for (let p = 1; p < powerOfTwo; p *= 2) level++;
  return level;
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new MerkleRangeError(`${name} must be a whole number ≥ 0, not ${value}`);
}

/** MTH(D[lo:hi]) from complete-subtree nodes. */
function subtreeHash(hasher: MerkleHasher, lookup: NodeLookup, lo: number, hi: number): Digest {
  const n = hi - lo;
  if (isPowerOfTwo(n) && lo % n === 0) return lookup(log2(n), lo / n);
  const k = splitPoint(n);
  return hasher.hashChildren(subtreeHash(hasher, lookup, lo, lo + k), subtreeHash(hasher, lookup, lo + k, hi));
}

/** Root hash of the tree of the first `size` leaves. */
export function rootAt(hasher: MerkleHasher, lookup: NodeLookup, size: number): Digest {
  assertSize('size', size);
  return size === 0 ? hasher.emptyRoot() : subtreeHash(hasher, lookup, 0, size);
}

/** RFC 6962 PATH(m, D[lo:hi]): the audit path of leaf `index` in the tree of `size` leaves, leaf first. */
export function inclusionProof(hasher: MerkleHasher, lookup: NodeLookup, index: number, size: number): Digest[] {
  assertSize('size', size);
  assertSize('index', index);
  if (index >= size) throw new MerkleRangeError(`leaf index ${index} is not in a tree of size ${size}`);
  const path: Digest[] = [];
  const walk = (lo: number, hi: number): void => {
    if (hi - lo === 1) return;
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      walk(lo, lo + k);
      path.push(subtreeHash(hasher, lookup, lo + k, hi));
    } else {
      walk(lo + k, hi);
      path.push(subtreeHash(hasher, lookup, lo, lo + k));
    }
  };
  walk(0, size);
  return path;
}

/** RFC 6962 PROOF(m, D[n]): that the tree of size `first` is a prefix of the tree of size `second`. */
export function consistencyProof(hasher: MerkleHasher, lookup: NodeLookup, first: number, second: number): Digest[] {
  assertSize('first', first);
  assertSize('second', second);
  if (first > second) throw new MerkleRangeError(`a tree of size ${first} cannot be a prefix of one of size ${second}`);
  if (first === 0 || first === second) return [];
  const proof: Digest[] = [];
  const sub = (m: number, lo: number, hi: number, whole: boolean): void => {
    if (m === hi - lo) {
      if (!whole) proof.push(subtreeHash(hasher, lookup, lo, hi));
      return;
    }
    const k = splitPoint(hi - lo);
    if (m <= k) {
      sub(m, lo, lo + k, whole);
      proof.push(subtreeHash(hasher, lookup, lo + k, hi));
    } else {
      sub(m - k, lo + k, hi, false);
      proof.push(subtreeHash(hasher, lookup, lo, lo + k));
    }
  };
  sub(first, 0, second, true);
  return proof;
}

/** Runs `compute` with a lookup that only records which nodes it asks for. */
function nodesUsedBy(compute: (lookup: NodeLookup, hasher: MerkleHasher) => unknown): NodeId[] {
  const seen = new Map<string, NodeId>();
  const zero = new Uint8Array(32);
  const recorder: MerkleHasher = { emptyRoot: () => zero, hashLeaf: () => zero, hashChildren: () => zero };
  compute((level, index) => {
    seen.set(`${level}:${index}`, { level, index });
    return zero;
  }, recorder);
  return [...seen.values()];
}

/** The complete subtrees whose hashes make up the root at `size` (largest first): also the append frontier. */
export function nodesForRoot(size: number): NodeId[] {
  assertSize('size', size);
  const nodes: NodeId[] = [];
  let start = 0;
  for (let level = log2(splitPoint(size + 1) * 2); level >= 0; level--) {
    const width = 2 ** level;
    if (start + width <= size) {
      nodes.push({ level, index: start / width });
      start += width;
    }
  }
  return nodes;
}

export function nodesForInclusion(index: number, size: number): NodeId[] {
  return nodesUsedBy((lookup, hasher) => inclusionProof(hasher, lookup, index, size));
}

export function nodesForConsistency(first: number, second: number): NodeId[] {
  return nodesUsedBy((lookup, hasher) => consistencyProof(hasher, lookup, first, second));
}

/** A lookup over nodes already read (e.g. by one query for nodesFor*), failing clearly on a missing one. */
export function lookupIn(nodes: Iterable<TreeNode>): NodeLookup {
  const byId = new Map<string, Digest>();
  for (const node of nodes) byId.set(`${node.level}:${node.index}`, node.hash);
  return (level, index) => {
    const hash = byId.get(`${level}:${index}`);
    if (!hash) throw new MerkleNodeMissingError(level, index);
    return hash;
  };
}

/**
 * Appends leaves (their hashes, i.e. hashLeaf already applied) to a tree of `size` leaves whose frontier
 * (nodesForRoot(size)) `lookup` answers. Returns every complete node the append creates: each leaf at
 * level 0 and each parent that becomes complete, to store beside the events.
 */
export function appendLeaves(hasher: MerkleHasher, lookup: NodeLookup, size: number, leafHashes: readonly Digest[]): TreeNode[] {
  const frontier: TreeNode[] = nodesForRoot(size).map((n) => ({ ...n, hash: lookup(n.level, n.index) }));
  const created: TreeNode[] = [];
  let next = size;
  for (const leaf of leafHashes) {
    let node: TreeNode = { level: 0, index: next++, hash: leaf };
    created.push(node);
    // A right child completes its parent; the frontier's last node is then its left sibling.
    while (odd(node.index)) {
      const left = frontier.pop();
      if (!left || left.level !== node.level) throw new MerkleRangeError('frontier does not match the tree size');
      node = { level: node.level + 1, index: half(node.index), hash: hasher.hashChildren(left.hash, node.hash) };
      created.push(node);
    }
    frontier.push(node);
  }
  return created;
}

function bytesEqual(a: Digest, b: Digest): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** RFC 9162 §2.1.3.2: does `proof` show leaf `index` (hash `leafHash`) in the tree of `size` with `root`? */
export function verifyInclusion(
  hasher: MerkleHasher,
  index: number,
  size: number,
  leafHash: Digest,
  proof: readonly Digest[],
  root: Digest,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = hasher.hashChildren(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hasher.hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of size `first` (root `firstRoot`) is a prefix of `second`? */
export function verifyConsistency(
  hasher: MerkleHasher,
  first: number,
  second: number,
  firstRoot: Digest,
  secondRoot: Digest,
  proof: readonly Digest[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = hasher.hashChildren(c, fr);
      sr = hasher.hashChildren(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hasher.hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}

/**
 * The root of a tree fed leaf by leaf, in O(log n) memory (only the frontier is kept): how verify
 * recomputes the root at a checkpoint's size from the events themselves, without the stored tree.
 */
export class MerkleFrontier {
  /** levels[L]: the pending complete subtree at level L (see Frontier), updated in place. */
  private readonly levels: Array<Digest | undefined> = [];
  private count = 0;

  constructor(private readonly hasher: MerkleHasher) {}

  get size(): number {
    return this.count;
  }

  push(leafHash: Digest): void {
    let hash = leafHash;
    let level = 0;
    // Like adding 1 to a binary counter: each carry joins the pending left subtree with the new right one.
    for (let index = this.count; odd(index); index = half(index)) {
      hash = this.hasher.hashChildren(this.levels[level] as Digest, hash);
      this.levels[level++] = undefined;
    }
    this.levels[level] = hash;
    this.count++;
  }

  root(): Digest {
    return rootAt(this.hasher, (level) => this.levels[level] as Digest, this.count);
  }
}

/**
 * The right edge of a tree, one slot per level: levels[L] is the hash of the complete subtree at level L
 * that the root at `size` is made of (present exactly when bit L of size is set). What an append needs,
 * small enough to keep in memory between appends.
 */
export interface Frontier {
  size: number;
  levels: Array<Digest | undefined>;
}

export function frontierFrom(lookup: NodeLookup, size: number): Frontier {
  const levels: Array<Digest | undefined> = [];
  for (const node of nodesForRoot(size)) levels[node.level] = lookup(node.level, node.index);
  return { size, levels };
}

/** Appends leaf hashes: the new frontier, and every complete node created (to store), like appendLeaves. */
export function extendFrontier(
  hasher: MerkleHasher,
  frontier: Frontier,
  leafHashes: readonly Digest[],
): { frontier: Frontier; created: TreeNode[] } {
  const levels = [...frontier.levels];
  const created: TreeNode[] = [];
  let size = frontier.size;
  for (const leaf of leafHashes) {
    let node: TreeNode = { level: 0, index: size++, hash: leaf };
    created.push(node);
    while (odd(node.index)) {
      const left = levels[node.level];
      if (!left) throw new MerkleNodeMissingError(node.level, node.index - 1);
      levels[node.level] = undefined;
      node = { level: node.level + 1, index: half(node.index), hash: hasher.hashChildren(left, node.hash) };
      created.push(node);
    }
    levels[node.level] = node.hash;
  }
  return { frontier: { size, levels }, created };
}
