/**
 * The SQLite store's bench/test-only switch that leaves the Merkle tree alone on append (maintainTree:
 * false, the tree-off baseline of `npm run bench:tree`): appends write no tree node, and the next open that
 * maintains the tree catches it up to the same root an independent RFC 6962 computation gives.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalize } from '../../../domain/evidence/canonical-json';
import { SqliteEventStore } from '../../../infra/event-store/sqlite-event-store';
import { collect, newEvent } from './event-store.contract';

const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962 MTH over the export lines, written out here (no code shared with the store). */
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

describe('SQLite evidence store: tree maintenance turned off (bench/test only)', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-tree-switch-'));
    file = path.join(dir, 'evidence.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const nodeCount = (): number => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM evidence_tree_nodes').pluck().get() as number;
    } finally {
      db.close();
    }
  };

  it('given appends with the tree off, when the store is opened with the tree on, then the tree is caught up to the independent root and appends extend it', async () => {
    const off = SqliteEventStore.open({ path: file, maintainTree: false });
    for (let i = 0; i < 7; i++)
      await off.append(`ai-system-${i % 3}`, [newEvent('AiSystemChanged', { i }), newEvent('AiSystemChanged', { j: i })]);
    await Promise.all([
      off.append('risk-1', [newEvent('RiskAssessed', { k: 1 })]),
      off.append('risk-2', [newEvent('RiskAssessed', { k: 2 })]),
    ]);
    expect((await off.head())?.position).toBe(16);
    expect((await off.treeHead()).size).toBe(0);
    expect((await off.verify()).intact).toBe(true);
    await off.close();
    expect(nodeCount()).toBe(0);

    const on = SqliteEventStore.open({ path: file });
    try {
      const head = await on.treeHead();
      expect(head.size).toBe(16);
      expect(head.rootHash.toString('hex')).toBe(independentRoot((await collect(on.readAll())).map((e) => canonicalize(e))));
      await on.append('ai-system-0', [newEvent('AiSystemChanged', { after: true })]);
      const after = await on.treeHead();
      expect(after.size).toBe(17);
      expect(after.rootHash.toString('hex')).toBe(independentRoot((await collect(on.readAll())).map((e) => canonicalize(e))));
    } finally {
      await on.close();
    }
  });

  it('given a store whose tree is complete, when appended to with the tree off, then the tree stays at its size and the rebuild covers every event', async () => {
    const on = SqliteEventStore.open({ path: file });
    await on.append('ai-system-1', [newEvent('AiSystemChanged', { a: 1 })]);
    await on.close();
    const off = SqliteEventStore.open({ path: file, maintainTree: false });
    try {
      await off.append('ai-system-1', [newEvent('AiSystemChanged', { a: 2 }), newEvent('AiSystemChanged', { a: 3 })]);
      expect((await off.treeHead()).size).toBe(1);
      const rebuilt = await off.rebuildTree();
      expect(rebuilt.size).toBe(3);
      expect(rebuilt.rootHash.toString('hex')).toBe(independentRoot((await collect(off.readAll())).map((e) => canonicalize(e))));
    } finally {
      await off.close();
    }
  });
});
