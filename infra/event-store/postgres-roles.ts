/**
 * A PostgreSQL evidence store whose appending role is not the owner of its tables (docs/database-roles.md).
 * The owner can alter the table, disable or drop its append-only triggers, UPDATE, DELETE and TRUNCATE;
 * so the engine should connect as a role that can do none of that: it reads, inserts and calls the append
 * function, nothing else. The hash chain still detects what an owner does; this keeps the engine's
 * credentials (the ones most exposed) from being enough to do it.
 */
import type { ClientBase } from 'pg';
import { EvidenceRoleUnsuitableError } from '../../domain/evidence/evidence-errors';
import { APPEND_CHAINED_SIGNATURE } from './postgres-migrations';

/** What the appending role gets, in plain words (the CLI prints it). */
export const APPEND_ROLE_GRANTS = [
  "USAGE and CREATE on the schema (CREATE for the engine's own, mutable tables: API tokens, projections)",
  'SELECT and INSERT on evidence_events',
  'SELECT on evidence_schema_migrations',
  'EXECUTE on evidence_append_chained',
  'SELECT on evidence_tree_nodes (the tree is written by a trigger running as the owner)',
  'SELECT and INSERT on evidence_checkpoints',
  'SELECT and INSERT on evidence_cosignatures',
] as const;

interface RoleFacts {
  superuser: boolean;
  owner: string;
  member_of_owner: boolean;
}

/**
 * Grants `role` exactly what appends and reads need on the evidence tables of `schema` (migrated already),
 * revoking anything else it held on them, in one transaction run by the tables' owner. Refuses a role that
 * could undo the append-only guarantees anyway (a superuser, the owner or a member of it), and checks the
 * outcome: afterwards the role must be able to read and insert and must not be able to UPDATE, DELETE,
 * TRUNCATE or add triggers, whichever grant (to PUBLIC, to a role it belongs to) it would come from.
 */
export async function grantAppendRole(client: ClientBase, schema: string, role: string): Promise<void> {
  const s = client.escapeIdentifier(schema);
  const r = client.escapeIdentifier(role);
  const table = `${s}.evidence_events`;
  const facts = (
    await client.query<RoleFacts>(
      `SELECT r.rolsuper AS superuser, pg_get_userbyid(c.relowner) AS owner,
              pg_has_role(r.oid, c.relowner, 'MEMBER') AS member_of_owner
       FROM pg_roles r CROSS JOIN pg_class c WHERE r.rolname = $1 AND c.oid = to_regclass($2)`,
      [role, table],
    )
  ).rows[0];
  if (!facts) {
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount !== 0;
    throw new EvidenceRoleUnsuitableError(
      role,
      exists ? `there is no evidence table in schema ${schema}` : `there is no such role (create it first: CREATE ROLE ${r} LOGIN)`,
    );
  }
  if (facts.superuser) throw new EvidenceRoleUnsuitableError(role, 'it is a superuser, which no privilege restrains');
  if (facts.member_of_owner) {
    throw new EvidenceRoleUnsuitableError(
      role,
      `it is, or may act as, ${JSON.stringify(facts.owner)}, the owner of the evidence tables, who can disable their triggers`,
    );
  }
  await client.query('BEGIN');
  try {
    await client.query(`
      REVOKE ALL ON TABLE ${table}, ${s}.evidence_schema_migrations FROM ${r};
      -- CREATE: the API's token and read-model stores create their own tables here, which the role then
      -- owns; it gives no right over tables others own.
      GRANT USAGE, CREATE ON SCHEMA ${s} TO ${r};
      GRANT SELECT, INSERT ON TABLE ${table} TO ${r};
      GRANT SELECT ON TABLE ${s}.evidence_schema_migrations TO ${r};
      GRANT EXECUTE ON FUNCTION ${s}.${APPEND_CHAINED_SIGNATURE} TO ${r};
      REVOKE ALL ON TABLE ${s}.evidence_tree_nodes, ${s}.evidence_checkpoints FROM ${r};
      GRANT SELECT ON TABLE ${s}.evidence_tree_nodes TO ${r};
      GRANT SELECT, INSERT ON TABLE ${s}.evidence_checkpoints TO ${r};
      REVOKE ALL ON TABLE ${s}.evidence_cosignatures FROM ${r};
      GRANT SELECT, INSERT ON TABLE ${s}.evidence_cosignatures TO ${r};`);
    const check = (
      await client.query<{ can: boolean; cannot: boolean }>(
        `SELECT has_table_privilege($1, $2, 'SELECT') AND has_table_privilege($1, $2, 'INSERT')
                AND has_function_privilege($1, $3, 'EXECUTE') AS can,
                has_table_privilege($1, $2, 'UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES') AS cannot`,
        [role, table, `${s}.${APPEND_CHAINED_SIGNATURE}`],
      )
    ).rows[0];
    if (!check.can) {
      throw new EvidenceRoleUnsuitableError(
        role,
        'the grants did not take: run this with the URL of the role that owns the evidence tables',
      );
    }
    if (check.cannot) {
      throw new EvidenceRoleUnsuitableError(
        role,
        'it holds UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES on evidence_events through another grant (to PUBLIC or a role it belongs to): revoke that first',
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
