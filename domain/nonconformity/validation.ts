/**
 * Shape checks on commands. Commands arrive as JSON (from the API, through Temporal payloads), so the
 * types alone prove nothing at run time: each field is checked here and every problem is reported at once.
 */
import type { NonconformityCommand } from './commands';
import { EFFECTIVENESS_OUTCOMES, NONCONFORMITY_SEVERITIES, NONCONFORMITY_SOURCES, ROOT_CAUSE_ANALYSIS_METHODS } from './nonconformity';
import type { ValidationIssue } from './errors';
import { isDueDate, isInstant, parseFixedDuration } from '../shared/iso-time';
import { callerNonconformityIdProblem, NONCONFORMITY_ID as ID, NONCONFORMITY_ID_RULE } from './identity';
const MAX_TITLE = 200;
const MAX_TEXT = 10_000;

class Checker {
  readonly issues: ValidationIssue[] = [];

  private fail(field: string, problem: string): false {
    this.issues.push({ field, problem });
    return false;
  }

  id(field: string, value: unknown): boolean {
    if (typeof value !== 'string' || !ID.test(value)) {
      return this.fail(field, NONCONFORMITY_ID_RULE);
    }
    return true;
  }

  text(field: string, value: unknown, max = MAX_TEXT): boolean {
    if (typeof value !== 'string' || value.trim() === '') return this.fail(field, 'must be a non-empty string');
    if (value.length > max) return this.fail(field, `must be at most ${max} characters`);
    return true;
  }

  optionalText(field: string, value: unknown): boolean {
    return value === undefined || value === null || this.text(field, value);
  }

  instant(field: string, value: unknown): boolean {
    return isInstant(value) || this.fail(field, 'must be an ISO 8601 instant with an offset, e.g. 2025-03-01T09:30:00Z');
  }

  oneOf(field: string, value: unknown, allowed: readonly string[]): boolean {
    return (typeof value === 'string' && allowed.includes(value)) || this.fail(field, `must be one of: ${allowed.join(', ')}`);
  }

  /** A person as `by` carries them (`{ id, roles }`); whether the roles allow the step is authority.ts's. */
  person(field: string, value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(field, 'must be { id, roles }');
    return this.text(`${field}.id`, (value as { id?: unknown }).id, MAX_TITLE);
  }

  /** Who acted under which role, as recorded (`{ id, role }`). */
  actor(field: string, value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(field, 'must be { id, role }');
    const actor = value as { id?: unknown; role?: unknown };
    const okId = this.text(`${field}.id`, actor.id, MAX_TITLE);
    const okRole = this.text(`${field}.role`, actor.role, MAX_TITLE);
    return okId && okRole;
  }

  /** A list of distinct non-empty strings (ids when `asIds`). */
  list(field: string, value: unknown, opts: { nonEmpty?: boolean; asIds?: boolean; optional?: boolean } = {}): boolean {
    if (value === undefined && opts.optional) return true;
    if (!Array.isArray(value)) return this.fail(field, 'must be an array');
    if (opts.nonEmpty && value.length === 0) return this.fail(field, 'must not be empty');
    let ok = true;
    value.forEach((item, i) => {
      ok = (opts.asIds ? this.id(`${field}[${i}]`, item) : this.text(`${field}[${i}]`, item)) && ok;
    });
    if (ok && new Set(value).size !== value.length) return this.fail(field, 'must not repeat an entry');
    return ok;
  }
}

/** Every problem with the command's fields; empty when its shape is valid. Assumes a known `type`. */
export function validateCommand(command: NonconformityCommand): ValidationIssue[] {
  const c = new Checker();
  c.id('nonconformityId', command.nonconformityId);
  c.instant('at', command.at);
  switch (command.type) {
    case 'RaiseNonconformity': {
      if (command.openedBy === undefined || command.by !== undefined) c.person('by', command.by);
      // A person's raise may not take an id from the engine's namespace; only a lifecycle's raise (openedBy,
      // vouched for by its NonconformityOpened evidence) uses one (identity.ts).
      const idProblem = command.by !== undefined ? callerNonconformityIdProblem(command.nonconformityId) : null;
      if (idProblem !== null && ID.test(String(command.nonconformityId))) c.issues.push({ field: 'nonconformityId', problem: idProblem });
      if (command.openedBy !== undefined) {
        c.actor('openedBy', command.openedBy);
        if (command.by !== undefined) c.issues.push({ field: 'openedBy', problem: 'must not be given together with by' });
      }
      c.text('title', command.title, MAX_TITLE);
      c.text('description', command.description);
      c.oneOf('source', command.source, NONCONFORMITY_SOURCES);
      c.optionalText('sourceReference', command.sourceReference);
      c.oneOf('severity', command.severity, NONCONFORMITY_SEVERITIES);
      c.list('aiSystemIds', command.aiSystemIds);
      c.list('annexAControlIds', command.annexAControlIds);
      c.list('clauseIds', command.clauseIds);
      if (
        Array.isArray(command.aiSystemIds) &&
        Array.isArray(command.annexAControlIds) &&
        Array.isArray(command.clauseIds) &&
        command.aiSystemIds.length + command.annexAControlIds.length + command.clauseIds.length === 0
      ) {
        c.issues.push({ field: 'aiSystemIds', problem: 'a nonconformity must concern at least one AI system, Annex A control or clause' });
      }
      // Its bounds (a day to two years) are `decideWithinBounds`'s: runs recorded before them replay as they ran.
      if (parseFixedDuration(command.effectivenessReviewDelay) === null || parseFixedDuration(command.effectivenessReviewDelay) === 0) {
        c.issues.push({
          field: 'effectivenessReviewDelay',
          problem: 'must be a positive ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. P30D',
        });
      }
      break;
    }
    case 'RecordContainment':
      c.person('by', command.by);
      c.list('actions', command.actions);
      c.optionalText('justification', command.justification);
      c.list('evidenceRefs', command.evidenceRefs, { optional: true });
      if (Array.isArray(command.actions) && command.actions.length === 0 && (command.justification ?? null) === null) {
        c.issues.push({ field: 'justification', problem: 'is required when no containment action is recorded' });
      }
      break;
    case 'SubmitRootCauseAnalysis':
      c.person('by', command.by);
      c.oneOf('method', command.method, ROOT_CAUSE_ANALYSIS_METHODS);
      if (command.method === 'other') c.text('methodDescription', command.methodDescription, MAX_TITLE);
      else c.optionalText('methodDescription', command.methodDescription);
      c.list('causes', command.causes, { nonEmpty: true });
      c.list('contributingFactors', command.contributingFactors);
      c.list('similarNonconformityIds', command.similarNonconformityIds, { optional: true, asIds: true });
      c.list('evidenceRefs', command.evidenceRefs, { optional: true });
      break;
    case 'SubmitCorrectiveActionPlan':
      c.person('by', command.by);
      c.id('planId', command.planId);
      if (!Array.isArray(command.actions) || command.actions.length === 0) {
        c.issues.push({ field: 'actions', problem: 'must be a non-empty array' });
      } else {
        command.actions.forEach((a, i) => {
          if (typeof a !== 'object' || a === null) {
            c.issues.push({ field: `actions[${i}]`, problem: 'must be { actionId, description, owner, dueDate }' });
            return;
          }
          c.id(`actions[${i}].actionId`, a.actionId);
          c.text(`actions[${i}].description`, a.description);
          c.text(`actions[${i}].owner`, a.owner, MAX_TITLE);
          if (!isDueDate(a.dueDate)) {
            c.issues.push({ field: `actions[${i}].dueDate`, problem: 'must be an ISO 8601 instant with an offset or a date (YYYY-MM-DD)' });
          }
        });
      }
      break;
    case 'ApproveCorrectiveActionPlan':
      c.person('by', command.by);
      c.id('planId', command.planId);
      c.optionalText('comment', command.comment);
      break;
    case 'RejectCorrectiveActionPlan':
      c.person('by', command.by);
      c.id('planId', command.planId);
      c.list('reasons', command.reasons, { nonEmpty: true });
      break;
    case 'CompleteCorrectiveAction':
      c.person('by', command.by);
      c.id('actionId', command.actionId);
      c.list('evidenceRefs', command.evidenceRefs, { nonEmpty: true });
      c.optionalText('note', command.note);
      break;
    case 'IssueCorrectiveActionReminder':
    case 'MarkCorrectiveActionOverdue':
      c.id('actionId', command.actionId);
      break;
    case 'EscalateCorrectiveAction':
      c.id('actionId', command.actionId);
      c.text('escalatedTo', command.escalatedTo, MAX_TITLE);
      break;
    case 'MarkEffectivenessReviewDue':
      break;
    case 'RecordEffectivenessReview':
      c.person('by', command.by);
      c.oneOf('outcome', command.outcome, EFFECTIVENESS_OUTCOMES);
      c.text('findings', command.findings);
      c.list('evidenceRefs', command.evidenceRefs, { optional: true });
      break;
    default: {
      const unreachable: never = command;
      void unreachable;
    }
  }
  return c.issues;
}
