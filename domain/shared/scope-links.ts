/**
 * The contract between an AI system's lifecycle and the AIMS scope (ISO/IEC 42001 4.3, A.6.2.5). Two
 * directions, both signals (neither process waits for the other):
 *   - a lifecycle that registers its system tells the scope process (`AiSystemRegistrationNotice`), which
 *     records a decision from the statement in force when it names the system, or asks the AIMS owner;
 *   - the scope process tells a system's lifecycle each decision about it (`AimsScopeDecision`), so the
 *     deployment gate decides from the lifecycle's own recorded state (OUT_OF_AIMS_SCOPE).
 * Kept apart from the domains so neither imports the other.
 */
import type { ActingRole } from './roles';

/** The scope process's workflow id and stream: one per organisation. */
export const AIMS_SCOPE_WORKFLOW_ID = 'aims-scope-organisation';

/** What a lifecycle sends to the scope process once its system is registered. */
export interface AiSystemRegistrationNotice {
  systemId: string;
  name: string;
  /** The lifecycle's AiSystemRegistered evidence id. */
  causeEventId: string;
  registeredAt: string;
}

/** On what a scope decision rests: the approved statement version that names the system, or a person. */
export type AimsScopeDecisionBasis =
  { kind: 'statement'; version: number; proposalId: string } | { kind: 'person'; id: string; role: ActingRole };

/** What the scope process sends to a system's lifecycle for each decision about it. */
export interface AimsScopeDecision {
  systemId: string;
  inScope: boolean;
  justification: string;
  basis: AimsScopeDecisionBasis;
  /** The scope process's AiSystemScopeDecided evidence id. */
  causeEventId: string;
  decidedAt: string;
}
