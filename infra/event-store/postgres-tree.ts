/**
 * The PostgreSQL store's Merkle tree and checkpoint queries (the tree itself is extended by a trigger:
 * migration 4 in postgres-migrations.ts). Kept apart from postgres-event-store.ts to keep that file short.
 */
import type { Pool } from 'pg';
import type { NodeId, TreeNode } from '../../domain/evidence/merkle';
import type { NewCosignature, NewStoredCheckpoint, StoredCheckpoint, StoredCosignature } from '../ports/event-store.port';
import { APPEND_LOCK_CLASS } from './postgres-migrations';
import { CheckpointQuery, checkpointWhere } from './stored-row';

export async function pgTreeSize(pool: Pool, schema: string): Promise<number> {
  const { rows } = await pool.query<{ size: string }>(
    `SELECT coalesce(max(idx) + 1, 0) AS size FROM "${schema}".evidence_tree_nodes WHERE level = 0`,
  );
  return Number(rows[0].size);
}

export async function pgTreeNodes(pool: Pool, schema: string, ids: NodeId[]): Promise<TreeNode[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query<{ level: number; index: string; hash: Buffer }>(
    `SELECT n.level, n.idx AS index, n.hash FROM unnest($1::smallint[], $2::bigint[]) AS q(level, idx)
     JOIN "${schema}".evidence_tree_nodes n ON n.level = q.level AND n.idx = q.idx`,
    [ids.map((id) => id.level), ids.map((id) => id.index)],
  );
  return rows.map((r) => ({ level: r.level, index: Number(r.index), hash: r.hash }));
}

/** Recomputes the tree from the events under the append lock, so no append interleaves (owner only). */
export async function pgRebuildTree(pool: Pool, schema: string, lockKey: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    await client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [APPEND_LOCK_CLASS, lockKey]);
    await client.query(`SELECT "${schema}".evidence_tree_rebuild()`);
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(error as Error);
    throw error;
  }
}

const CHECKPOINT_COLUMNS = `id, origin, tree_size AS "treeSize", root_hash AS "rootHash", key_name AS "keyName", note, signed_at AS "signedAt"`;

interface CheckpointRow extends Omit<StoredCheckpoint, 'id' | 'treeSize'> {
  id: string;
  treeSize: string;
}

const toCheckpoint = (r: CheckpointRow): StoredCheckpoint => ({ ...r, id: Number(r.id), treeSize: Number(r.treeSize) });

export async function pgAddCheckpoint(pool: Pool, schema: string, c: NewStoredCheckpoint): Promise<StoredCheckpoint> {
  const { rows } = await pool.query<CheckpointRow>(
    `INSERT INTO "${schema}".evidence_checkpoints (origin, tree_size, root_hash, key_name, note, signed_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CHECKPOINT_COLUMNS}`,
    [c.origin, c.treeSize, c.rootHash, c.keyName, c.note, new Date().toISOString()],
  );
  return toCheckpoint(rows[0]);
}

export async function pgLatestCheckpoint(pool: Pool, schema: string): Promise<StoredCheckpoint | null> {
  const { rows } = await pool.query<CheckpointRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM "${schema}".evidence_checkpoints ORDER BY id DESC LIMIT 1`,
  );
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

export async function pgSelectCheckpoints(pool: Pool, schema: string, q: CheckpointQuery): Promise<StoredCheckpoint[]> {
  const { where, params } = checkpointWhere(q, (n) => `$${n}`);
  const { rows } = await pool.query<CheckpointRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM "${schema}".evidence_checkpoints ${where}
     ORDER BY id ${q.direction === 'forwards' ? 'ASC' : 'DESC'} LIMIT ${q.limit}`,
    params,
  );
  return rows.map(toCheckpoint);
}

export async function pgInsertCosignature(pool: Pool, schema: string, c: NewCosignature, addedAt: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO "${schema}".evidence_cosignatures (checkpoint_id, witness, key_id, timestamp, line, added_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (checkpoint_id, line) DO NOTHING`,
    [c.checkpointId, c.witness, c.keyId, c.timestamp, c.line, addedAt],
  );
  return rowCount === 1;
}

export async function pgSelectCosignatures(pool: Pool, schema: string, checkpointId: number): Promise<StoredCosignature[]> {
  const { rows } = await pool.query<Record<keyof StoredCosignature, string>>(
    `SELECT id, checkpoint_id AS "checkpointId", witness, key_id AS "keyId", timestamp, line, added_at AS "addedAt"
     FROM "${schema}".evidence_cosignatures WHERE checkpoint_id = $1 ORDER BY id`,
    [checkpointId],
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    checkpointId: Number(r.checkpointId),
    keyId: Number(r.keyId),
    timestamp: Number(r.timestamp),
  }));
}
