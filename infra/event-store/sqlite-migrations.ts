/**
 * Versioned schema of the SQLite evidence store. Each migration runs once, recorded in
 * evidence_schema_migrations, inside one IMMEDIATE transaction with the check that it has not run yet, so
 * opening the store twice (or from two processes at once) is safe. Never edit a released migration: add one.
 */
import type Database from 'better-sqlite3';
import { EvidenceSchemaBehindError, EvidenceSchemaTooNewError } from '../../domain/evidence/evidence-errors';

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'evidence events, append-only',
    sql: `
      CREATE TABLE evidence_events (
        position    INTEGER PRIMARY KEY CHECK (position > 0),
        id          TEXT    NOT NULL UNIQUE,
        stream      TEXT    NOT NULL,
        revision    INTEGER NOT NULL CHECK (revision >= 0),
        type        TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        prev_hash   TEXT    NOT NULL,
        hash        TEXT    NOT NULL,
        UNIQUE (stream, revision)
      ) STRICT;
      -- The store's API has no update or delete; the database refuses them too. (Anyone who can drop these
      -- triggers can still tamper: that is what the hash chain and verify are for.)
      CREATE TRIGGER evidence_events_refuse_update BEFORE UPDATE ON evidence_events
      BEGIN SELECT RAISE(ABORT, 'evidence_events is append-only: UPDATE refused'); END;
      CREATE TRIGGER evidence_events_refuse_delete BEFORE DELETE ON evidence_events
      BEGIN SELECT RAISE(ABORT, 'evidence_events is append-only: DELETE refused'); END;
    `,
  },
  {
    version: 2,
    name: 'Merkle tree over the events (complete-subtree hashes) and signed checkpoints',
    // Derived data: the tree is recomputed from the events by `aims evidence tree rebuild`, so it is not
    // append-only; the events stay the record, and verify recomputes roots from them. The store builds
    // the tree of events recorded before this version when it opens (SqliteEventStore.open).
    sql: `
      CREATE TABLE evidence_tree_nodes (
        level INTEGER NOT NULL CHECK (level >= 0),
        idx   INTEGER NOT NULL CHECK (idx >= 0),
        hash  BLOB    NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE evidence_checkpoints (
        id        INTEGER PRIMARY KEY,
        origin    TEXT    NOT NULL,
        tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
        root_hash BLOB    NOT NULL CHECK (length(root_hash) = 32),
        key_name  TEXT    NOT NULL,
        note      TEXT    NOT NULL,
        signed_at TEXT    NOT NULL
      ) STRICT;
      CREATE TRIGGER evidence_checkpoints_refuse_update BEFORE UPDATE ON evidence_checkpoints
      BEGIN SELECT RAISE(ABORT, 'evidence_checkpoints is append-only: UPDATE refused'); END;
      CREATE TRIGGER evidence_checkpoints_refuse_delete BEFORE DELETE ON evidence_checkpoints
      BEGIN SELECT RAISE(ABORT, 'evidence_checkpoints is append-only: DELETE refused'); END;
    `,
  },
  {
    version: 3,
    name: 'witness cosignatures of checkpoints, append-only',
    sql: `
      CREATE TABLE evidence_cosignatures (
        id            INTEGER PRIMARY KEY,
        checkpoint_id INTEGER NOT NULL REFERENCES evidence_checkpoints (id),
        witness       TEXT    NOT NULL,
        key_id        INTEGER NOT NULL,
        timestamp     INTEGER NOT NULL,
        line          TEXT    NOT NULL,
        added_at      TEXT    NOT NULL,
        UNIQUE (checkpoint_id, line)
      ) STRICT;
      CREATE TRIGGER evidence_cosignatures_refuse_update BEFORE UPDATE ON evidence_cosignatures
      BEGIN SELECT RAISE(ABORT, 'evidence_cosignatures is append-only: UPDATE refused'); END;
      CREATE TRIGGER evidence_cosignatures_refuse_delete BEFORE DELETE ON evidence_cosignatures
      BEGIN SELECT RAISE(ABORT, 'evidence_cosignatures is append-only: DELETE refused'); END;
    `,
  },
  {
    version: 4,
    name: 'tree nodes keyed by the last leaf they cover, so an append writes its nodes into one page',
    // Keyed (level, idx), the nodes one append creates (its leaf and each parent it completes) sat in a
    // different B-tree page per level, so a one-event commit wrote and synced about 2.6 more pages than
    // without the tree (6.5 against 3.9: the reason appends with the tree fell below 0.8× of appends
    // without it, docs/benchmarks.md, Transparency log). Keyed (last_leaf, level), they are all adjacent at
    // the right end of the table. last_leaf = (idx + 1) * 2^level - 1; idx stays for readability.
    sql: `
      CREATE TABLE evidence_tree_nodes_by_last_leaf (
        last_leaf INTEGER NOT NULL CHECK (last_leaf >= 0),
        level     INTEGER NOT NULL CHECK (level >= 0 AND level < 63),
        idx       INTEGER NOT NULL CHECK (idx >= 0),
        hash      BLOB    NOT NULL CHECK (length(hash) = 32),
        CHECK (last_leaf = ((idx + 1) << level) - 1),
        PRIMARY KEY (last_leaf, level)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO evidence_tree_nodes_by_last_leaf (last_leaf, level, idx, hash)
        SELECT ((idx + 1) << level) - 1, level, idx, hash FROM evidence_tree_nodes ORDER BY ((idx + 1) << level) - 1, level;
      DROP TABLE evidence_tree_nodes;
      ALTER TABLE evidence_tree_nodes_by_last_leaf RENAME TO evidence_tree_nodes;
    `,
  },
];

/** Applies the missing migrations; returns the versions it applied. */
export function migrateSqlite(
  db: Database.Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
  options: { migrate: boolean } = { migrate: true },
): number[] {
  const run = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS evidence_schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL
    ) STRICT`);
    const applied = new Set(
      (db.prepare('SELECT version FROM evidence_schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    const latest = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > latest) throw new EvidenceSchemaTooNewError(newest, latest);
    if (!options.migrate && migrations.some((m) => !applied.has(m.version))) {
      throw new EvidenceSchemaBehindError(newest, latest, 'This process does not migrate (AIMS_EVENT_STORE_MIGRATE=false).');
    }
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO evidence_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      done.push(migration.version);
    }
    return done;
  });
  return run.immediate();
}
