/**
 * Versioned schema of the PostgreSQL evidence store, in its own schema (default `public`). Migrations run
 * in one transaction under a transaction-level advisory lock, each once (recorded in
 * evidence_schema_migrations), so two processes starting at once, or a second start, are safe.
 * Never edit a released migration: add one.
 */
import type { ClientBase, PoolClient } from 'pg';
import {
  EvidenceDatabaseEncodingError,
  EvidenceRoleUnsuitableError,
  EvidenceSchemaBehindError,
  EvidenceSchemaTooNewError,
} from '../../domain/evidence/evidence-errors';

export interface PostgresMigration {
  version: number;
  name: string;
  /** SQL for the schema named by the (already quoted) identifier. */
  sql(schema: string): string;
}

/** The append function's identity (its IN arguments), for GRANT and REVOKE. */
export const APPEND_CHAINED_SIGNATURE =
  'evidence_append_chained(int, int, text, text, text, text[], text[], bigint[], text[], text[], text[])';

/** Text columns use the "C" collation: byte order, so recorded_at compares as time and no locale applies. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'evidence events, append-only',
    sql: (s) => `
      CREATE TABLE ${s}.evidence_events (
        position    bigint PRIMARY KEY CHECK (position > 0),
        id          text COLLATE "C" NOT NULL UNIQUE,
        stream      text COLLATE "C" NOT NULL,
        revision    bigint NOT NULL CHECK (revision >= 0),
        type        text COLLATE "C" NOT NULL,
        recorded_at text COLLATE "C" NOT NULL,
        data        text NOT NULL,
        metadata    text NOT NULL,
        prev_hash   text COLLATE "C" NOT NULL,
        hash        text COLLATE "C" NOT NULL,
        UNIQUE (stream, revision)
      );
      -- The store's API has no update or delete; the database refuses them too. (Whoever can drop these
      -- triggers can still tamper: that is what the hash chain and verify are for.)
      CREATE FUNCTION ${s}.evidence_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'evidence_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER evidence_events_refuse_update_delete BEFORE UPDATE OR DELETE ON ${s}.evidence_events
        FOR EACH ROW EXECUTE FUNCTION ${s}.evidence_events_refuse_change();
      CREATE TRIGGER evidence_events_refuse_truncate BEFORE TRUNCATE ON ${s}.evidence_events
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.evidence_events_refuse_change();
      -- What an append decides on, read in one call under the write lock (the slow path of an append).
      -- PL/pgSQL keeps the plans of its queries for the session, which saves re-planning them each time.
      CREATE FUNCTION ${s}.evidence_append_state(p_streams text[], p_ids text[]) RETURNS json
      LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN json_build_object(
          'tip', (SELECT json_build_object('position', e.position, 'hash', e.hash, 'recordedAt', e.recorded_at)
                  FROM ${s}.evidence_events e ORDER BY e.position DESC LIMIT 1),
          -- one max() per stream, each answered from the end of the (stream, revision) index
          'streams', (SELECT coalesce(json_agg(json_build_array(r.stream, r.revision)), '[]'::json)
                      FROM (SELECT a.stream, (SELECT max(e.revision) FROM ${s}.evidence_events e WHERE e.stream = a.stream) AS revision
                            FROM unnest(p_streams) AS a(stream)) AS r
                      WHERE r.revision IS NOT NULL),
          'recorded', (SELECT coalesce(json_agg(json_build_object('id', e.id, 'stream', e.stream, 'type', e.type,
                         'revision', e.revision, 'position', e.position, 'dataJson', e.data, 'metadataJson', e.metadata)), '[]'::json)
                       FROM ${s}.evidence_events e WHERE e.id = ANY(p_ids)));
      END
      $$;
      -- The fast path of an append, one round trip: events decided and hashed by the application on the
      -- state it remembers (the chain tip, stream revisions, and that the ids are new) are written only if
      -- that state is still the current one, checked under the write lock; otherwise nothing is written and
      -- false tells the application to take the slow path. No business rule lives here: it only compares.
      -- VOLATILE matters: in READ COMMITTED each statement of a volatile function takes a new snapshot, so
      -- the checks after the lock see every append committed before it was granted.
      CREATE FUNCTION ${s}.evidence_append_if_current(
        p_lock_class int, p_lock_key int, p_channel text,
        p_tip_position bigint, p_tip_hash text, p_streams text[], p_stream_revisions bigint[],
        p_position bigint[], p_id text[], p_stream text[], p_revision bigint[], p_type text[],
        p_recorded_at text[], p_data text[], p_metadata text[], p_prev_hash text[], p_hash text[]
      ) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_position bigint;
        v_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(p_lock_class, p_lock_key);
        SELECT e.position, e.hash INTO v_position, v_hash FROM ${s}.evidence_events e ORDER BY e.position DESC LIMIT 1;
        IF coalesce(v_position, 0) <> p_tip_position OR coalesce(v_hash, '') <> p_tip_hash THEN
          RETURN false;
        END IF;
        IF EXISTS (SELECT 1 FROM unnest(p_streams, p_stream_revisions) AS a(stream, revision)
                   WHERE coalesce((SELECT max(e.revision) FROM ${s}.evidence_events e WHERE e.stream = a.stream), -1) <> a.revision) THEN
          RETURN false;
        END IF;
        IF EXISTS (SELECT 1 FROM ${s}.evidence_events e WHERE e.id = ANY(p_id)) THEN
          RETURN false;
        END IF;
        INSERT INTO ${s}.evidence_events (position, id, stream, revision, type, recorded_at, data, metadata, prev_hash, hash)
          SELECT * FROM unnest(p_position, p_id, p_stream, p_revision, p_type, p_recorded_at, p_data, p_metadata, p_prev_hash, p_hash);
        PERFORM pg_notify(p_channel, p_position[cardinality(p_position)]::text);
        RETURN true;
      END
      $$;
    `,
  },
  {
    version: 2,
    name: 'append in one round trip whatever the chain tip: chain linked under the write lock',
    // CREATE OR REPLACE: harmless if run again. No table change, so existing events and their hashes are
    // untouched. Version 1's functions stay (nothing calls them any more).
    sql: (s) => `
      -- One round trip per append, and the only statement under the write lock: events decided by the
      -- application (domain/evidence/evidence-append.ts) on the stream revisions it read or remembers are
      -- placed after the chain tip as it is under the lock, linked and hashed here, and inserted.
      -- What was decided is written only if it is still right, and the unique indexes are that check: each
      -- event takes the revision after the one decided on, and revisions are contiguous, so (stream,
      -- revision) is taken exactly when the stream has moved on since; an id recorded already is taken on
      -- the id index. Either fails the insert with unique_violation, nothing is written, and the
      -- application decides again on state read under the lock (its slow path). Checking the revisions
      -- here as well would only lengthen the time the lock is held.
      CREATE OR REPLACE FUNCTION ${s}.evidence_append_chained(
        p_lock_class int, p_lock_key int, p_channel text, p_genesis_hash text, p_now text,
        p_id text[], p_stream text[], p_revision bigint[], p_type text[], p_data text[], p_metadata text[],
        OUT tip_position bigint, OUT tip_recorded_at text, OUT recorded_at text, OUT last_hash text
      ) LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_count int := cardinality(p_id);
        v_tip_hash text;
        v_position bigint[] := array_fill(NULL::bigint, ARRAY[v_count]);
        v_prev_hash text[] := array_fill(NULL::text, ARRAY[v_count]);
        v_hash text[] := array_fill(NULL::text, ARRAY[v_count]);
        v_link text;
      BEGIN
        PERFORM pg_advisory_xact_lock(p_lock_class, p_lock_key);
        SELECT e.position, e.hash, e.recorded_at INTO tip_position, v_tip_hash, tip_recorded_at
          FROM ${s}.evidence_events e ORDER BY e.position DESC LIMIT 1;
        tip_position := coalesce(tip_position, 0);
        recorded_at := CASE WHEN tip_recorded_at IS NOT NULL AND tip_recorded_at COLLATE "C" > p_now COLLATE "C"
                            THEN tip_recorded_at ELSE p_now END;
        v_link := coalesce(v_tip_hash, p_genesis_hash);
        FOR i IN 1 .. v_count LOOP
          v_position[i] := tip_position + i;
          v_prev_hash[i] := v_link;
          v_link := encode(sha256(convert_to(
            '{"data":' || p_data[i] ||
            ',"id":' || to_json(p_id[i])::text ||
            ',"metadata":' || p_metadata[i] ||
            ',"position":' || v_position[i]::text ||
            ',"prevHash":' || to_json(v_link)::text ||
            ',"recordedAt":' || to_json(recorded_at)::text ||
            ',"revision":' || p_revision[i]::text ||
            ',"stream":' || to_json(p_stream[i])::text ||
            ',"type":' || to_json(p_type[i])::text || '}', 'UTF8')), 'hex');
          v_hash[i] := v_link;
        END LOOP;
        INSERT INTO ${s}.evidence_events (position, id, stream, revision, type, recorded_at, data, metadata, prev_hash, hash)
          SELECT * FROM unnest(v_position, p_id, p_stream, p_revision, p_type, array_fill(recorded_at, ARRAY[v_count]),
                               p_data, p_metadata, v_prev_hash, v_hash);
        PERFORM pg_notify(p_channel, (tip_position + v_count)::text);
        last_hash := v_link;
      END
      $$;
    `,
  },
  {
    version: 3,
    name: 'privileges: nothing for PUBLIC, an appending role gets only what appends and reads need',
    // The owner keeps every right; any other role gets exactly what `aims evidence migrate --app-role`
    // grants it (postgres-roles.ts). Functions are executable by PUBLIC unless revoked, tables are not
    // readable by it unless granted: both revoked here so that only explicit grants count. The trigger
    // function keeps its default (triggers fire whatever the caller's rights).
    sql: (s) => `
      REVOKE ALL ON TABLE ${s}.evidence_events, ${s}.evidence_schema_migrations FROM PUBLIC;
      REVOKE ALL ON FUNCTION ${s}.${APPEND_CHAINED_SIGNATURE} FROM PUBLIC;
      REVOKE ALL ON FUNCTION ${s}.evidence_append_state(text[], text[]) FROM PUBLIC;
      REVOKE ALL ON FUNCTION ${s}.evidence_append_if_current(int, int, text, bigint, text, text[], bigint[], bigint[], text[],
        text[], bigint[], text[], text[], text[], text[], text[], text[]) FROM PUBLIC;
    `,
  },
  {
    version: 4,
    name: 'Merkle tree over the events (complete-subtree hashes), maintained on insert; signed checkpoints',
    // The tree (docs/evidence-format.md §7) is extended by a statement trigger, so it is written in the
    // same transaction as the events, on the fast and the slow append path alike, while the append lock is
    // held (appends are serialised, so leaves are added in position order). The trigger function runs as
    // the tables' owner (SECURITY DEFINER): the appending role may read the tree but not write it
    // directly. Events recorded before this version get their leaves here, in this migration. Safe to run
    // again (IF NOT EXISTS, OR REPLACE; the rebuild gives the same tree).
    sql: (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.evidence_tree_nodes (
        level smallint NOT NULL CHECK (level >= 0),
        idx   bigint   NOT NULL CHECK (idx >= 0),
        hash  bytea    NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      );
      CREATE TABLE IF NOT EXISTS ${s}.evidence_checkpoints (
        id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        origin    text COLLATE "C" NOT NULL,
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        key_name  text COLLATE "C" NOT NULL,
        note      text NOT NULL,
        signed_at text COLLATE "C" NOT NULL
      );
      DROP TRIGGER IF EXISTS evidence_checkpoints_refuse_update_delete ON ${s}.evidence_checkpoints;
      CREATE TRIGGER evidence_checkpoints_refuse_update_delete BEFORE UPDATE OR DELETE ON ${s}.evidence_checkpoints
        FOR EACH ROW EXECUTE FUNCTION ${s}.evidence_events_refuse_change();
      -- Leaf data: the event's export line without its line feed (canonical JSON of the whole envelope).
      CREATE OR REPLACE FUNCTION ${s}.evidence_leaf_hash(e ${s}.evidence_events) RETURNS bytea
      LANGUAGE sql IMMUTABLE AS $$
        SELECT sha256('\\x00'::bytea || convert_to(
          '{"data":' || e.data ||
          ',"hash":' || to_json(e.hash)::text ||
          ',"id":' || to_json(e.id)::text ||
          ',"metadata":' || e.metadata ||
          ',"position":' || e.position::text ||
          ',"prevHash":' || to_json(e.prev_hash)::text ||
          ',"recordedAt":' || to_json(e.recorded_at)::text ||
          ',"revision":' || e.revision::text ||
          ',"stream":' || to_json(e.stream)::text ||
          ',"type":' || to_json(e.type)::text || '}', 'UTF8'))
      $$;
      -- Adds the leaf of the event at p_position (which must be the next one) and every parent it completes.
      CREATE OR REPLACE FUNCTION ${s}.evidence_tree_add_leaf(p_position bigint, p_leaf bytea) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
      DECLARE
        v_level int := 0;
        v_index bigint := p_position - 1;
        v_hash bytea := p_leaf;
        v_left bytea;
      BEGIN
        INSERT INTO ${s}.evidence_tree_nodes (level, idx, hash) VALUES (0, v_index, v_hash);
        WHILE v_index % 2 = 1 LOOP
          SELECT n.hash INTO v_left FROM ${s}.evidence_tree_nodes n WHERE n.level = v_level AND n.idx = v_index - 1;
          IF v_left IS NULL THEN
            RAISE EXCEPTION 'evidence tree has no node at level %, index %: rebuild it', v_level, v_index - 1;
          END IF;
          v_hash := sha256('\\x01'::bytea || v_left || v_hash);
          v_level := v_level + 1;
          v_index := v_index / 2;
          INSERT INTO ${s}.evidence_tree_nodes (level, idx, hash) VALUES (v_level, v_index, v_hash);
        END LOOP;
      END
      $$;
      -- Per INSERT statement (an append): reads the tree's right edge once (one node per level at most),
      -- hashes the new leaves and the parents they complete in memory, and inserts all nodes at once, so
      -- the append lock is held for as little extra work as possible.
      CREATE OR REPLACE FUNCTION ${s}.evidence_tree_extend() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
      DECLARE
        v_size bigint;
        v_edge bytea[] := array_fill(NULL::bytea, ARRAY[64]);
        v_levels smallint[] := '{}';
        v_idxs bigint[] := '{}';
        v_hashes bytea[] := '{}';
        v_level int;
        v_index bigint;
        v_hash bytea;
        r record;
      BEGIN
        SELECT min(n.position) - 1 INTO v_size FROM new_events n;
        IF coalesce((SELECT max(t.idx) + 1 FROM ${s}.evidence_tree_nodes t WHERE t.level = 0), 0) <> v_size THEN
          RAISE EXCEPTION 'the evidence tree does not end at position %: rebuild it (aims evidence tree rebuild)', v_size;
        END IF;
        FOR r IN SELECT t.level, t.hash FROM ${s}.evidence_tree_nodes t
                 JOIN (SELECT l, (v_size >> l) - 1 AS i FROM generate_series(0, 62) AS l WHERE ((v_size >> l) & 1) = 1) q
                   ON t.level = q.l AND t.idx = q.i LOOP
          v_edge[r.level + 1] := r.hash;
        END LOOP;
        FOR r IN SELECT e.position, ${s}.evidence_leaf_hash(e) AS leaf FROM new_events e ORDER BY e.position LOOP
          v_level := 0;
          v_index := r.position - 1;
          v_hash := r.leaf;
          v_levels := v_levels || 0::smallint;
          v_idxs := v_idxs || v_index;
          v_hashes := v_hashes || v_hash;
          WHILE v_index % 2 = 1 LOOP
            IF v_edge[v_level + 1] IS NULL THEN
              RAISE EXCEPTION 'evidence tree has no node at level %, index %: rebuild it', v_level, v_index - 1;
            END IF;
            v_hash := sha256('\\x01'::bytea || v_edge[v_level + 1] || v_hash);
            v_edge[v_level + 1] := NULL;
            v_level := v_level + 1;
            v_index := v_index / 2;
            v_levels := v_levels || v_level::smallint;
            v_idxs := v_idxs || v_index;
            v_hashes := v_hashes || v_hash;
          END LOOP;
          v_edge[v_level + 1] := v_hash;
        END LOOP;
        INSERT INTO ${s}.evidence_tree_nodes (level, idx, hash) SELECT * FROM unnest(v_levels, v_idxs, v_hashes);
        RETURN NULL;
      END
      $$;
      DROP TRIGGER IF EXISTS evidence_events_extend_tree ON ${s}.evidence_events;
      CREATE TRIGGER evidence_events_extend_tree AFTER INSERT ON ${s}.evidence_events
        REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION ${s}.evidence_tree_extend();
      -- \`aims evidence tree rebuild\` (the owner only): the tree recomputed from the events.
      CREATE OR REPLACE FUNCTION ${s}.evidence_tree_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        e ${s}.evidence_events;
        v_count bigint := 0;
      BEGIN
        DELETE FROM ${s}.evidence_tree_nodes;
        FOR e IN SELECT * FROM ${s}.evidence_events ORDER BY position LOOP
          PERFORM ${s}.evidence_tree_add_leaf(e.position, ${s}.evidence_leaf_hash(e));
          v_count := v_count + 1;
        END LOOP;
        RETURN v_count;
      END
      $$;
      SELECT ${s}.evidence_tree_rebuild();
      REVOKE ALL ON TABLE ${s}.evidence_tree_nodes, ${s}.evidence_checkpoints FROM PUBLIC;
      REVOKE ALL ON FUNCTION ${s}.evidence_tree_add_leaf(bigint, bytea), ${s}.evidence_tree_rebuild() FROM PUBLIC;
    `,
  },
  {
    version: 5,
    name: 'witness cosignatures of checkpoints, append-only',
    sql: (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.evidence_cosignatures (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        checkpoint_id bigint NOT NULL REFERENCES ${s}.evidence_checkpoints (id),
        witness       text COLLATE "C" NOT NULL,
        key_id        bigint NOT NULL,
        timestamp     bigint NOT NULL,
        line          text COLLATE "C" NOT NULL,
        added_at      text COLLATE "C" NOT NULL,
        UNIQUE (checkpoint_id, line)
      );
      DROP TRIGGER IF EXISTS evidence_cosignatures_refuse_update_delete ON ${s}.evidence_cosignatures;
      CREATE TRIGGER evidence_cosignatures_refuse_update_delete BEFORE UPDATE OR DELETE ON ${s}.evidence_cosignatures
        FOR EACH ROW EXECUTE FUNCTION ${s}.evidence_events_refuse_change();
      REVOKE ALL ON TABLE ${s}.evidence_cosignatures FROM PUBLIC;
    `,
  },
];

/** Advisory-lock class ids ("AIMS" and "AIMT" as int32), paired with a key derived from the schema name. */
export const MIGRATION_LOCK_CLASS = 0x41494d53;
export const APPEND_LOCK_CLASS = 0x41494d54;

/** Applies the missing migrations on `client` (not in a transaction); returns the versions it applied. */
export async function migratePostgres(
  client: PoolClient,
  quotedSchema: string,
  schemaKey: number,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [MIGRATION_LOCK_CLASS, schemaKey]);
    // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when it exists.
    if ((await client.query<{ missing: boolean }>('SELECT to_regnamespace($1) IS NULL AS missing', [quotedSchema])).rows[0].missing) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quotedSchema}`);
    }
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quotedSchema}.evidence_schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Set(
      (await client.query<{ version: number }>(`SELECT version FROM ${quotedSchema}.evidence_schema_migrations`)).rows.map(
        (r) => r.version,
      ),
    );
    const latest = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > latest) throw new EvidenceSchemaTooNewError(newest, latest);
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql(quotedSchema));
      await client.query(`INSERT INTO ${quotedSchema}.evidence_schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** SQLSTATE of a refused privilege (and of the append-only triggers). */
export const INSUFFICIENT_PRIVILEGE = '42501';
const UNDEFINED_TABLE = '42P01';
const INVALID_SCHEMA_NAME = '3F000';

function sqlState(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * Refuses a database that does not store text as UTF-8 (server_encoding), before anything is created: in
 * LATIN1, say, an event naming someone in Cyrillic fails to convert on every append, and the append is
 * retried forever.
 */
export async function assertUtf8Database(client: ClientBase): Promise<void> {
  const encoding = (await client.query<{ server_encoding: string }>('SHOW server_encoding')).rows[0].server_encoding;
  if (encoding !== 'UTF8') throw new EvidenceDatabaseEncodingError(encoding);
}

/** The versions recorded in the schema; [] when it has none yet; undefined when this role may not read them. */
async function appliedVersions(client: ClientBase, quotedSchema: string): Promise<number[] | undefined> {
  try {
    return (await client.query<{ version: number }>(`SELECT version FROM ${quotedSchema}.evidence_schema_migrations`)).rows.map(
      (r) => r.version,
    );
  } catch (error) {
    const state = sqlState(error);
    if (state === UNDEFINED_TABLE || state === INVALID_SCHEMA_NAME) return [];
    if (state === INSUFFICIENT_PRIVILEGE) return undefined;
    throw error;
  }
}

/**
 * What a store does on open: refuse a database that is not UTF-8; then, when the schema is at the version
 * this code needs, nothing more (no DDL, so a role without any right to change the schema can open it).
 * When it is behind: migrate if `migrate` (and the role may), or refuse with EvidenceSchemaBehindError
 * saying who must migrate. Returns the versions it applied.
 */
export async function preparePostgresSchema(
  client: PoolClient,
  quotedSchema: string,
  schemaKey: number,
  options: { migrate: boolean },
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  await assertUtf8Database(client);
  const latest = Math.max(0, ...migrations.map((m) => m.version));
  const applied = await appliedVersions(client, quotedSchema);
  const role = (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0].role;
  if (applied === undefined) {
    throw new EvidenceRoleUnsuitableError(
      role,
      `it may not read the evidence tables in schema ${quotedSchema}; grant it what appends need with ` +
        `\`aims evidence migrate --app-role ${role}\` run with the URL of the role that owns them (docs/database-roles.md)`,
    );
  }
  const newest = Math.max(0, ...applied);
  if (newest > latest) throw new EvidenceSchemaTooNewError(newest, latest);
  if (migrations.every((m) => applied.includes(m.version))) return [];
  if (!options.migrate) {
    throw new EvidenceSchemaBehindError(newest, latest, 'This process does not migrate (AIMS_EVENT_STORE_MIGRATE=false).');
  }
  try {
    return await migratePostgres(client, quotedSchema, schemaKey, migrations);
  } catch (error) {
    if (sqlState(error) !== INSUFFICIENT_PRIVILEGE) throw error;
    throw new EvidenceSchemaBehindError(
      newest,
      latest,
      `This process's role (${role}) may not change the schema: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
}
