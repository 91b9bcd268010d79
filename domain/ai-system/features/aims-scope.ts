/**
 * The system's place in the AIMS scope (4.3): the scope process (`aimsScope` workflow) tells the lifecycle
 * each decision about the system (domain/shared/scope-links.ts); the lifecycle notes the latest, and the
 * deployment gate (deployment-gate.ts) refuses a system decided out of scope (OUT_OF_AIMS_SCOPE). Noting
 * an out-of-scope decision also blocks the requests already pending or approved (decide.ts reconciles them
 * through the gate), so nothing outside the AIMS goes out.
 */
import { isAtOrAfter, isIsoTimestamp } from '../../shared/iso-time';
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { invalid } from '../errors';
import type { AiSystemRecord } from '../model';
import { actorOf } from './common';
import type { DecideResult, Feature } from './feature';

function recordAimsScopeDecision(c: C.RecordAimsScopeDecision, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.boolean('inScope', c.inScope);
  p.text('justification', c.justification);
  p.text('causeEventId', c.causeEventId);
  if (!isIsoTimestamp(c.decidedAt)) p.add('decidedAt', 'must be an ISO-8601 timestamp, e.g. 2025-03-01T09:30:00Z');
  const basis = c.basis as Partial<C.RecordAimsScopeDecision['basis']> | undefined;
  if (basis?.kind === 'statement') {
    if (typeof basis.version !== 'number' || !Number.isInteger(basis.version) || basis.version < 1)
      p.add('basis.version', 'must be a version number');
    p.text('basis.proposalId', basis.proposalId);
  } else if (basis?.kind === 'person') {
    p.text('basis.id', basis.id);
    p.text('basis.role', basis.role);
  } else p.add('basis.kind', 'must be statement or person');
  if (!p.empty) return err(invalid(c.type, p.list));
  const held = s.aimsScope;
  // The same decision again (a resent signal), or one older than the decision held: nothing to note.
  if (held && (held.causeEventId === c.causeEventId || !isAtOrAfter(c.decidedAt, held.decidedAt))) return ok([]);
  return ok([
    {
      type: 'AimsScopeDecisionNoted',
      inScope: c.inScope,
      justification: c.justification,
      basis: c.basis,
      causeEventId: c.causeEventId,
      decidedAt: c.decidedAt,
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

export const aimsScope = {
  decide: { RecordAimsScopeDecision: recordAimsScopeDecision },
  evolve: {
    AimsScopeDecisionNoted: (s, e) => ({
      ...s,
      aimsScope: {
        inScope: e.inScope,
        justification: e.justification,
        basis: e.basis,
        causeEventId: e.causeEventId,
        decidedAt: e.decidedAt,
        notedAt: e.at,
      },
    }),
  },
} satisfies Feature;
