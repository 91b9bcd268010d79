/**
 * Folds what happened to the scope; decides nothing. Also how its events become evidence (data, actor, the
 * clauses and controls they are evidence for) and the ids the workflow gives.
 */
import { openedHumanTask, withHumanTaskDecided, withHumanTaskSuperseded } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type { ActorRef } from '../shared/roles';
import type { AimsScopeEvent, AimsScopeEventType, AimsScopeState, ScopeProposal, ScopeTaskKind } from './model';

const updateProposal = (s: AimsScopeState, proposalId: string, f: (p: ScopeProposal) => ScopeProposal): AimsScopeState => ({
  ...s,
  proposals: s.proposals.map((p) => (p.proposalId === proposalId ? f(p) : p)),
});

export function evolve(s: AimsScopeState, e: AimsScopeEvent): AimsScopeState {
  switch (e.type) {
    case 'ScopeStatementProposed':
      return {
        ...s,
        proposals: [
          ...s.proposals,
          {
            proposalId: e.proposalId,
            summary: e.summary,
            statement: e.statement,
            proposedBy: e.by,
            proposedAt: e.at,
            approvalTaskId: '',
            status: 'awaiting_approval',
            decidedBy: null,
            decidedAt: null,
            reasons: [],
            version: null,
          },
        ],
      };
    case 'ScopeStatementDocumentNamed':
      return updateProposal(s, e.proposalId, (p) => ({ ...p, document: e.document }));
    case 'HumanTaskOpened': {
      const tasks = [...s.tasks, openedHumanTask<ScopeTaskKind, JsonObject>({ ...e, subject: e.subject })];
      if (e.subject.type === 'scope_statement')
        return { ...updateProposal(s, e.subject.proposalId, (p) => ({ ...p, approvalTaskId: e.taskId })), tasks };
      return { ...s, tasks };
    }
    case 'HumanTaskDecided':
      return { ...s, tasks: withHumanTaskDecided(s.tasks, e) };
    case 'HumanTaskSuperseded':
      return { ...s, tasks: withHumanTaskSuperseded(s.tasks, e) };
    case 'HumanTaskReminderSent':
      return { ...s, tasks: s.tasks.map((t) => (t.taskId === e.taskId ? { ...t, reminderSentAt: e.at } : t)) };
    case 'HumanTaskEscalated':
      return { ...s, tasks: s.tasks.map((t) => (t.taskId === e.taskId ? { ...t, escalatedAt: e.at, escalatedTo: e.escalatedTo } : t)) };
    case 'ScopeStatementApproved': {
      const proposal = s.proposals.find((p) => p.proposalId === e.proposalId);
      const next = updateProposal(s, e.proposalId, (p) => ({
        ...p,
        status: 'approved',
        decidedBy: e.by,
        decidedAt: e.at,
        version: e.version,
      }));
      if (!proposal) return next;
      const versions = next.versions.map((v) => (v.replacedAt === null ? { ...v, replacedAt: e.at } : v));
      return {
        ...next,
        version: e.version,
        versions: [
          ...versions,
          {
            version: e.version,
            proposalId: e.proposalId,
            statement: proposal.statement,
            approvedBy: e.by,
            approvedAt: e.at,
            replacedAt: null,
            document: proposal.document ?? null,
          },
        ],
      };
    }
    case 'ScopeStatementRejected':
      return updateProposal(s, e.proposalId, (p) => ({ ...p, status: 'rejected', decidedBy: e.by, decidedAt: e.at, reasons: e.reasons }));
    case 'AiSystemRegistrationNoted':
      return {
        ...s,
        systems: {
          ...s.systems,
          [e.systemId]: { systemId: e.systemId, name: e.name, causeEventId: e.causeEventId, registeredAt: e.registeredAt, notedAt: e.at },
        },
      };
    case 'AiSystemScopeDecided':
      return {
        ...s,
        decisions: {
          ...s.decisions,
          [e.systemId]: { systemId: e.systemId, inScope: e.inScope, justification: e.justification, basis: e.basis, decidedAt: e.at },
        },
      };
    default:
      return s;
  }
}

export function eventData(event: AimsScopeEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

export function eventActor(event: AimsScopeEvent): ActorRef {
  return event.by;
}

/**
 * Which clauses and Annex A controls each event is evidence for: the statement is 4.3's documented
 * information, approved under 5.1/5.3 authority; a system's decision is 4.3 applied to the inventory (A.4.2
 * resources, A.6.2.5 the gate that honours it); a change of the statement is a planned change (6.3).
 */
export const AIMS_SCOPE_ISO_42001_REFERENCES: Record<AimsScopeEventType, string[]> = {
  ScopeStatementProposed: ['4.3', '6.3'],
  ScopeStatementDocumentNamed: ['4.3', '7.5.3'],
  HumanTaskOpened: ['5.3', 'A.3.2'],
  HumanTaskDecided: ['5.3', 'A.3.2'],
  HumanTaskSuperseded: ['5.3'],
  HumanTaskReminderSent: ['5.3', 'A.3.2'],
  HumanTaskEscalated: ['5.3', 'A.3.2'],
  ScopeStatementApproved: ['4.3', '5.1', '5.3', '6.3'],
  ScopeStatementRejected: ['4.3', '5.3'],
  AiSystemRegistrationNoted: ['4.3', 'A.4.2'],
  AiSystemScopeDecided: ['4.3', 'A.4.2', 'A.6.2.5'],
};

export function eventReferences(event: AimsScopeEvent): readonly string[] {
  return AIMS_SCOPE_ISO_42001_REFERENCES[event.type];
}

/** The state after one recorded evidence event (its type and data); unknown types change nothing. */
export function evolveRecorded(s: AimsScopeState, recorded: { type: string; data: JsonObject }): AimsScopeState {
  return evolve(s, { type: recorded.type, ...recorded.data } as unknown as AimsScopeEvent);
}

/** The ids the workflow gives the next proposal and its approval task, and a system's scope-decision task. */
export function nextProposalIds(s: AimsScopeState): { proposalId: string; approvalTaskId: string } {
  const n = s.proposals.length + 1;
  return { proposalId: `scope-proposal-${n}`, approvalTaskId: `scope-proposal-${n}-approval` };
}
export function scopeDecisionTaskIdOf(s: AimsScopeState, systemId: string): string {
  return `scope-decision-${s.tasks.length + 1}-${systemId}`.slice(0, 200);
}
