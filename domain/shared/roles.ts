/**
 * AIMS roles (ISO/IEC 42001 clause 5.3, control A.3.2) and the actors who hold them. Authentication is
 * outside the domain: a caller states who acts and with which roles (the API takes them from the token);
 * the domain decides what those roles allow and records the role an actor acted under.
 *
 * The same ten roles the API issues tokens for:
 * - `admin` administers the engine (tokens); it takes no AIMS decision by itself;
 * - `top_management` directs the organisation (5.1, 5.2): it sets the AI policy and, with the AIMS owner,
 *   approves the organisation's lifecycle policy; it takes no operational step in a lifecycle;
 * - `aims_owner` is accountable for the AIMS and receives escalations (5.1, 5.3);
 * - `risk_owner` owns AI risk treatment (6.1.3, 8.3);
 * - `approver` approves gates (impact assessments, deployments, decommissioning);
 * - `validator` signs off validation results (A.6.2.4), independent of whoever produced them;
 * - `engineer` builds, operates and monitors AI systems (datasets, versions, reviews);
 * - `ci` is a pipeline: records results and asks the deployment gate;
 * - `auditor` is read-only: it can decide and record nothing (a certification body's auditor);
 * - `internal_auditor` performs internal audits (9.2): it writes audit records (plans, samples, checklist
 *   results, findings, reports) and nothing else: it takes no step in any other process.
 */
export const AIMS_ROLES = [
  'admin',
  'top_management',
  'aims_owner',
  'risk_owner',
  'approver',
  'validator',
  'engineer',
  'ci',
  'auditor',
  'internal_auditor',
] as const;

export type AimsRole = (typeof AIMS_ROLES)[number];

/** Roles that can never decide or record anything in the AIMS. */
export const READ_ONLY_ROLES: readonly AimsRole[] = ['auditor'];

/** Roles that record audit records only (9.2) and never take a step in another process. */
export const AUDIT_ONLY_ROLES: readonly AimsRole[] = ['internal_auditor'];

/** Automated steps (policy auto-approval, timers) act as `system`; no person can hold this role. */
export type ActingRole = AimsRole | 'system';

/**
 * Who issues a command, with every role they hold. When the organisation enforces appointments (issue 16),
 * the API narrows `roles` to the person's appointments at that moment and names the person and, per role,
 * the appointment that grants it; without enforcement (or before it existed) both are absent.
 */
export type Actor = { id: string; roles: AimsRole[]; personId?: string; appointments?: Partial<Record<AimsRole, string>> };

/**
 * Who did something and under which single role: what evidence metadata records. `personId` and
 * `appointmentId` name the person and the appointment the step was taken under, when appointments are
 * enforced; evidence recorded without them stays readable as it always was.
 */
export type ActorRef = { id: string; role: ActingRole; personId?: string; appointmentId?: string };

export const SYSTEM_ACTOR: ActorRef = { id: 'aims:lifecycle', role: 'system' };

export function isAimsRole(value: unknown): value is AimsRole {
  return typeof value === 'string' && (AIMS_ROLES as readonly string[]).includes(value);
}

/** The problem with an actor as given, or null when it is usable. */
export function actorProblem(actor: Actor | undefined | null): string | null {
  if (!actor || typeof actor.id !== 'string' || actor.id.trim() === '') return 'an actor needs a non-empty id';
  if (!Array.isArray(actor.roles) || actor.roles.length === 0) return `actor ${actor.id} holds no AIMS role`;
  const unknown = actor.roles.filter((r) => !isAimsRole(r));
  if (unknown.length > 0) return `actor ${actor.id} has unknown roles: ${unknown.join(', ')}`;
  return null;
}

/**
 * The role an actor acts under: the first of `preferred` they hold, else their first role. Recording one
 * role keeps evidence unambiguous about which authority was used.
 */
export function actingAs(actor: Actor, preferred: readonly AimsRole[] = []): ActorRef {
  const role = preferred.find((r) => actor.roles.includes(r)) ?? actor.roles[0];
  const appointmentId = role === undefined ? undefined : actor.appointments?.[role];
  return {
    id: actor.id,
    role: role ?? 'system',
    ...(typeof actor.personId === 'string' ? { personId: actor.personId } : {}),
    ...(typeof appointmentId === 'string' ? { appointmentId } : {}),
  };
}
