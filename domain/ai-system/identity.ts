/**
 * How an AI system is named outside the domain: its lifecycle workflow's id and its evidence stream share
 * one name, `ai-system-<systemId>`, so an auditor holding either finds the other. A system id may use
 * ASCII letters, digits and `_ . : @`, in dash-separated segments, so the name is a valid stream name and
 * safe in a URL path and a workflow id.
 */
import type { ValidationIssue } from '../shared/validation';
import { engineNonconformityId } from '../nonconformity/identity';

export const AI_SYSTEM_CATEGORY = 'ai-system';
export const MAX_SYSTEM_ID_LENGTH = 200;

const SYSTEM_ID = /^[A-Za-z0-9_.:@]+(?:-[A-Za-z0-9_.:@]+)*$/;

/** Why `systemId` cannot name an AI system, as a validation issue on `field`, or null when it can. */
export function systemIdIssue(systemId: unknown, field = 'systemId'): ValidationIssue | null {
  const issue = (problem: string): ValidationIssue => ({ field, problem });
  if (typeof systemId !== 'string' || systemId.length === 0) return issue('must be a non-empty string');
  if (systemId.length > MAX_SYSTEM_ID_LENGTH) return issue(`must be at most ${MAX_SYSTEM_ID_LENGTH} characters`);
  if (!SYSTEM_ID.test(systemId)) return issue('may contain only ASCII letters, digits and _ . : @, in segments separated by single dashes');
  return null;
}

/** Why `systemId` cannot name an AI system, as a sentence, or null when it can. */
export function systemIdProblem(systemId: unknown): string | null {
  const issue = systemIdIssue(systemId);
  return issue === null ? null : `${issue.field} ${issue.problem}`;
}

/** The id of the one `aiSystemLifecycle` workflow of a system. */
export function lifecycleWorkflowId(systemId: string): string {
  return `${AI_SYSTEM_CATEGORY}-${systemId}`;
}

/** The evidence stream of a system: the same name as its workflow. */
export function aiSystemStreamName(systemId: string): string {
  return `${AI_SYSTEM_CATEGORY}-${systemId}`;
}

/** The system id a stream name carries, or null when the stream is not an AI system's. */
export function systemIdOfStream(stream: string): string | null {
  return stream.startsWith(`${AI_SYSTEM_CATEGORY}-`) ? stream.slice(AI_SYSTEM_CATEGORY.length + 1) : null;
}

/**
 * How the lifecycle names the nonconformities it opens. Nonconformity workflows and their evidence streams
 * are global, so an id must name the system as well as what opened it.
 * - `{ engine: salt }` (runs since ENGINE_NONCONFORMITY_IDS_PATCH): `aims:nc-<system>-<source>-<digest>`,
 *   in the engine's namespace that callers may not use, always a valid id whatever the system id or metric
 *   name, and unguessable before the breach through the run's random `salt` (domain/nonconformity/identity.ts).
 * - 'per-system': `nc-<systemId>-<source>`; predictable, and invalid for a system id with `@` or a metric
 *   with a space. 'legacy': `nc-<source>`, which two systems with the same report or incident id shared.
 * Runs recorded under the older schemes replay as they ran.
 */
export type NonconformityIdScheme = 'per-system' | 'legacy' | { engine: string };

/** The id of a nonconformity opened by `source` (`[reportId, metric]`, or `[incidentId]`). */
export function derivedNonconformityId(systemId: string, source: readonly string[], scheme: NonconformityIdScheme): string {
  if (typeof scheme === 'object') return engineNonconformityId(systemId, source.join('/'), scheme.engine);
  return scheme === 'per-system' ? `nc-${systemId}-${source.join('-')}` : `nc-${source.join('-')}`;
}
