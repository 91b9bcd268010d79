/**
 * A controlled document, given/when/then: created, a version submitted, reviewed by another, approved by
 * the role its kind requires (never the author), published (the previous version obsolete, kept), read by
 * each person in the roles it names, and reviewed when its interval runs out.
 */
import {
  acknowledgementTaskId,
  aiPolicyIssues,
  approvalTaskIdOf,
  decide,
  DOCUMENT_ISO_42001_REFERENCES,
  documentAsOf,
  evolve,
  INITIAL_DOCUMENT_STATE,
  nextDocumentFollowUp,
  periodicReviewTaskId,
  reviewTaskIdOf,
  addInterval,
  type DocumentCommand,
  type DocumentEvent,
  type DocumentRecord,
  type DocumentState,
} from '../../../../domain/document';
import { tabledReferences } from '../../../../domain/iso-references';
import type { DomainError } from '../../../../domain/shared/domain-error';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec<DocumentCommand, DocumentEvent, DocumentState, DomainError>({
  decide,
  evolve,
  initialState: INITIAL_DOCUMENT_STATE,
});

const alice: Actor = { id: 'alice', roles: ['aims_owner'] };
const rob: Actor = { id: 'rob', roles: ['risk_owner'] };
const tess: Actor = { id: 'tess', roles: ['top_management'] };
const DIGEST = `sha256:${'a'.repeat(64)}`;
const at = (minute: number): string => new Date(Date.UTC(2026, 0, 10, 9, minute)).toISOString();

export const POLICY_MD = [
  '# AI policy',
  '## Purpose',
  'Why we develop and use AI responsibly.',
  '## Commitments',
  'We commit to satisfy applicable requirements and to the continual improvement of the AI management system.',
  '## Framework for objectives',
  'AI objectives are set yearly by top management.',
  '## Related policies',
  '- Information security policy v4',
  '- Privacy policy v2',
].join('\n');

const create = (over: Partial<Extract<DocumentCommand, { type: 'CreateDocument' }>> = {}): DocumentCommand => ({
  type: 'CreateDocument',
  documentId: 'ai-policy',
  kind: 'ai_policy',
  title: 'AI policy',
  owner: 'alice',
  classification: 'internal',
  retention: 'P7Y',
  acknowledgementRoles: ['engineer', 'risk_owner'],
  by: alice,
  at: at(0),
  ...over,
});
const submit = (version: number, over: Partial<Extract<DocumentCommand, { type: 'SubmitDocumentVersion' }>> = {}): DocumentCommand => ({
  type: 'SubmitDocumentVersion',
  version,
  reviewTaskId: reviewTaskIdOf('ai-policy', version),
  markdown: POLICY_MD,
  markdownDigest: DIGEST,
  changeSummary: version === 1 ? 'First issue' : `Issue ${version}`,
  change: { reason: 'The AIMS needs a policy', consequences: 'Every AI project follows it' },
  by: alice,
  at: at(version * 10),
  ...over,
});
const decideTask = (
  taskId: string,
  by: Actor,
  outcome: 'approved' | 'rejected' | 'changes_requested' = 'approved',
  reasons: string[] = [],
  minute = 30,
): DocumentCommand => ({
  type: 'DecideDocumentTask',
  taskId,
  outcome,
  reasons,
  by,
  at: at(minute),
});

/** Runs commands from nothing, each on the state the last left: the events, for `given`. */
function history(...commands: DocumentCommand[]): DocumentEvent[] {
  let s: DocumentState = INITIAL_DOCUMENT_STATE;
  const events: DocumentEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    events.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return events;
}
const fold = (events: DocumentEvent[]): DocumentRecord => events.reduce(evolve, INITIAL_DOCUMENT_STATE) as DocumentRecord;
const published1 = (): DocumentEvent[] =>
  history(
    create(),
    submit(1),
    decideTask(reviewTaskIdOf('ai-policy', 1), rob, 'approved', [], 12),
    decideTask(approvalTaskIdOf('ai-policy', 1), tess, 'approved', [], 14),
  );

describe('controlled documents', () => {
  test('created by an author role, with the kind’s default review interval of 12 months', () => {
    const { state } = given([])
      .when(create())
      .then([expect.objectContaining({ type: 'DocumentCreated', reviewInterval: 'P12M', owner: 'alice' })]);
    expect(state?.kind).toBe('ai_policy');
    given([])
      .when(create({ by: { id: 'eve', roles: ['engineer'] } }))
      .then(expectError('MISSING_ROLE'));
    given([])
      .when(create({ kind: 'memo' as never, classification: 'secret' as never }))
      .then(expectError('VALIDATION_FAILED'));
  });

  test('a submitted version opens its review for someone other than the author', () => {
    const { events } = given(history(create()))
      .when(submit(1))
      .then([
        expect.objectContaining({ type: 'DocumentVersionSubmitted', version: 1, markdownDigest: DIGEST }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          kind: 'document_review',
          requestedBy: 'alice',
          taskId: 'doc-ai-policy-v1-review',
        }),
      ]);
    given(history(create(), submit(1)))
      .when(decideTask(reviewTaskIdOf('ai-policy', 1), { id: 'Alice', roles: ['aims_owner', 'top_management'] }))
      .then(expectError('SEGREGATION_OF_DUTIES', { conflict: 'author' }));
    expect(events).toHaveLength(2);
  });

  test('the AI policy must have its required sections: the error names each one missing', () => {
    const refusal = given(history(create()))
      .when(submit(1, { markdown: '# AI policy\n## Purpose\nTo be written.\n## Commitments\nWe try hard.' }))
      .then(expectError('VALIDATION_FAILED'));
    const fields = (refusal.details as { issues: { field: string; problem: string }[] }).issues;
    expect(fields.map((i) => i.field)).toEqual([
      'markdown.commitments',
      'markdown.commitments',
      'markdown.objectives',
      'markdown.related_policies',
    ]);
    expect(fields[0]?.problem).toContain('satisfy applicable requirements');
    expect(aiPolicyIssues(POLICY_MD)).toEqual([]);
    expect(
      aiPolicyIssues('## Purpose\nx\n## Commitments\nrequirements, continual improvement\n## Objectives\nx\n## Related policies\nnone')[0]
        ?.problem,
    ).toContain('A.2.3');
  });

  test('a planned change to the AIMS (policy, scope, risk criteria) states its reason and consequences (6.3)', () => {
    given(history(create()))
      .when(submit(1, { change: null }))
      .then(expectError('VALIDATION_FAILED'));
    const procedure = history(create({ documentId: 'incident-procedure', kind: 'procedure', title: 'Incident procedure' }));
    given(procedure)
      .when(submit(1, { markdown: '# How we handle incidents', change: null, reviewTaskId: reviewTaskIdOf('incident-procedure', 1) }))
      .then([
        expect.objectContaining({ type: 'DocumentVersionSubmitted', change: null }),
        expect.objectContaining({ type: 'HumanTaskOpened' }),
      ]);
  });

  test('attachments are referenced by digest, with an allowed content type and size', () => {
    const c = submit(1, {
      attachments: [{ name: 'policy.exe', digest: 'md5:abc', contentType: 'application/x-msdownload', size: 0 }],
    });
    const refusal = given(history(create())).when(c).then(expectError('VALIDATION_FAILED'));
    expect((refusal.details as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([
      'attachments[0].digest',
      'attachments[0].contentType',
      'attachments[0].size',
    ]);
  });

  test('review approved → approval by top management for the AI policy, never its author', () => {
    const past = history(create(), submit(1));
    given(past)
      .when(decideTask(reviewTaskIdOf('ai-policy', 1), rob))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'approved' }),
        expect.objectContaining({ type: 'DocumentVersionReviewed', version: 1 }),
        expect.objectContaining({ type: 'HumanTaskOpened', kind: 'document_approval', requiredRoles: ['top_management'] }),
      ]);
    const afterReview = history(create(), submit(1), decideTask(reviewTaskIdOf('ai-policy', 1), rob));
    given(afterReview)
      .when(decideTask(approvalTaskIdOf('ai-policy', 1), rob))
      .then(expectError('MISSING_ROLE'));
    // Top management wrote it: another member of top management must approve it.
    const byTess = history(create({ by: tess }), submit(1, { by: tess }), decideTask(reviewTaskIdOf('ai-policy', 1), rob));
    given(byTess)
      .when(decideTask(approvalTaskIdOf('ai-policy', 1), tess))
      .then(expectError('SEGREGATION_OF_DUTIES'));
  });

  test('a procedure is approved by the AIMS owner', () => {
    const events = history(
      create({ documentId: 'p', kind: 'procedure', title: 'P', by: rob, owner: 'rob' }),
      submit(1, { reviewTaskId: reviewTaskIdOf('p', 1), markdown: '# P', change: null, by: rob }),
      decideTask(reviewTaskIdOf('p', 1), tess),
    );
    expect(events.at(-1)).toMatchObject({ kind: 'document_approval', requiredRoles: ['aims_owner'] });
  });

  test('changes requested go back to the author with reasons; the author submits a new version', () => {
    const past = history(create(), submit(1));
    given(past)
      .when(decideTask(reviewTaskIdOf('ai-policy', 1), rob, 'changes_requested'))
      .then(expectError('HUMAN_TASK_REASON_REQUIRED'));
    const { state } = given(past)
      .when(decideTask(reviewTaskIdOf('ai-policy', 1), rob, 'changes_requested', ['Name the privacy policy version']))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'changes_requested' }),
        expect.objectContaining({ type: 'DocumentVersionReturned', stage: 'review', reasons: ['Name the privacy policy version'] }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          kind: 'document_revision',
          taskId: 'doc-ai-policy-v1-revision',
          assignee: 'alice',
          requestedBy: 'rob',
        }),
      ]);
    expect(state?.versions[0]?.status).toBe('changes_requested');
    given(past)
      .when(submit(2))
      .then(expectError('DOCUMENT_VERSION_PENDING', { version: 1 }));
    const returned = history(create(), submit(1), decideTask(reviewTaskIdOf('ai-policy', 1), rob, 'rejected', ['Wrong scope']));
    // The new version answers the author's revision task.
    given(returned)
      .when(submit(2))
      .then([
        expect.objectContaining({ version: 2, replacesVersion: 1 }),
        expect.objectContaining({ type: 'HumanTaskSuperseded', taskId: 'doc-ai-policy-v1-revision' }),
        expect.objectContaining({ kind: 'document_review' }),
      ]);
    given(returned).when(decideTask('doc-ai-policy-v1-revision', alice)).then(expectError('HUMAN_TASK_OUTCOME_NOT_ALLOWED'));
  });

  test('approval publishes; a second version makes the first obsolete, kept with both approvals', () => {
    const first = fold(published1());
    expect(first.publishedVersion).toBe(1);
    expect(first.reviewDueAt).toBe(addInterval(at(14), 'P12M'));
    expect(first.reviewDueAt?.startsWith('2027-01-10')).toBe(true);
    const v2 = given(published1())
      .when(submit(2, { at: at(40) }))
      .then([expect.anything(), expect.anything()]);
    const events = [...published1(), ...v2.events];
    const afterReview = given(events)
      .when(decideTask(reviewTaskIdOf('ai-policy', 2), rob, 'approved', [], 41))
      .then([expect.anything(), expect.anything(), expect.anything()]);
    const done = given([...events, ...afterReview.events])
      .when(decideTask(approvalTaskIdOf('ai-policy', 2), tess, 'approved', [], 42))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided' }),
        expect.objectContaining({ type: 'DocumentVersionPublished', version: 2, obsoletes: 1 }),
      ]);
    const d = done.state as DocumentRecord;
    expect(d.versions.map((v) => [v.version, v.status, v.approval?.by.id])).toEqual([
      [1, 'obsolete', 'tess'],
      [2, 'published', 'tess'],
    ]);
    // As of before the second publication, version 1 was in force.
    const then = documentAsOf(d, at(41)) as DocumentRecord;
    expect(then.publishedVersion).toBe(1);
    expect(then.versions.map((v) => v.status)).toEqual(['published', 'awaiting_approval']);
  });

  test('publication asks each person in the named roles to acknowledge; only they can', () => {
    const past = published1();
    const { events, state } = given(past)
      .when({
        type: 'RequestAcknowledgements',
        version: 1,
        people: [
          { id: 'Erin', roles: ['engineer'] },
          { id: 'erin', roles: ['engineer'] },
          { id: 'rob', roles: ['risk_owner', 'approver'] },
          { id: 'tess', roles: ['top_management'] },
        ],
        source: 'token store',
        at: at(20),
      })
      .then([
        expect.objectContaining({ type: 'DocumentAcknowledgementsRequested', people: ['erin', 'rob'], source: 'token store' }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          kind: 'document_acknowledgement',
          assignee: 'erin',
          requiredRoles: ['engineer'],
        }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          kind: 'document_acknowledgement',
          assignee: 'rob',
          requiredRoles: ['risk_owner'],
        }),
      ]);
    const all = [...past, ...events];
    const taskId = acknowledgementTaskId('ai-policy', 1, 1);
    given(all)
      .when({ type: 'AcknowledgeDocument', taskId, by: rob, at: at(21) })
      .then(expectError('NOT_ACTION_OWNER'));
    const acked = given(all)
      .when({ type: 'AcknowledgeDocument', taskId, by: { id: 'erin', roles: ['engineer'] }, at: at(22) })
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', kind: 'document_acknowledgement' }),
        expect.objectContaining({ type: 'DocumentAcknowledged', version: 1, by: { id: 'erin', role: 'engineer' } }),
      ]);
    expect((acked.state as DocumentRecord).acknowledgements).toEqual([
      { version: 1, identity: 'erin', taskId, requestedAt: at(20), acknowledgedAt: at(22) },
      { version: 1, identity: 'rob', taskId: acknowledgementTaskId('ai-policy', 1, 2), requestedAt: at(20), acknowledgedAt: null },
    ]);
    expect(state?.acknowledgements).toHaveLength(2);
    // Overdue, the reminder goes to the person, not to every holder of their roles.
    const overdue = new Date(Date.parse(at(20)) + 15 * 24 * 3_600_000).toISOString();
    given(all)
      .when({ type: 'SendDocumentTaskReminder', taskId, at: overdue })
      .then([expect.objectContaining({ type: 'HumanTaskReminderSent', notifiedRoles: [], notifiedPeople: ['erin'] })]);
    // Asking again asks nobody twice.
    given(all)
      .when({ type: 'RequestAcknowledgements', version: 1, people: [{ id: 'rob', roles: ['risk_owner'] }], source: 'x', at: at(23) })
      .then([]);
  });

  test('overdue tasks are reminded then escalated; the review falls due after the interval and is confirmed', () => {
    const past = published1();
    const d = fold(past);
    const next = nextDocumentFollowUp(d, 1000);
    expect(next?.summary).toBe('review of ai-policy');
    const dueAt = d.reviewDueAt as string;
    given(past)
      .when({ type: 'OpenPeriodicReview', at: at(30) })
      .then(expectError('DOCUMENT_REVIEW_NOT_DUE'));
    const opened = given(past)
      .when({ type: 'OpenPeriodicReview', at: dueAt })
      .then([
        expect.objectContaining({ type: 'DocumentReviewDue', version: 1 }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          kind: 'document_periodic_review',
          taskId: periodicReviewTaskId('ai-policy', 1),
        }),
      ]);
    const open = opened.state as DocumentRecord;
    const reminder = nextDocumentFollowUp(open, 1000);
    expect(reminder?.summary).toBe(`reminder for task ${periodicReviewTaskId('ai-policy', 1)}`);
    const reminded = given([...past, ...opened.events])
      .when(reminder!.command(new Date(reminder!.at).toISOString()))
      .then([expect.objectContaining({ type: 'HumanTaskReminderSent', notifiedRoles: ['top_management', 'aims_owner'] })]);
    const escalation = nextDocumentFollowUp(reminded.state, 1000);
    given([...past, ...opened.events, ...reminded.events])
      .when(escalation!.command(new Date(escalation!.at).toISOString()))
      .then([expect.objectContaining({ type: 'HumanTaskEscalated', escalatedTo: 'aims_owner' })]);
    const confirmAt = new Date(Date.parse(dueAt) + 60_000).toISOString();
    const confirmed = given([...past, ...opened.events])
      .when({
        type: 'DecideDocumentTask',
        taskId: periodicReviewTaskId('ai-policy', 1),
        outcome: 'approved',
        reasons: [],
        note: 'Still adequate',
        by: tess,
        at: confirmAt,
      })
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided' }),
        expect.objectContaining({
          type: 'DocumentReviewConfirmed',
          version: 1,
          note: 'Still adequate',
          reviewDueAt: addInterval(confirmAt, 'P12M'),
        }),
      ]);
    expect((confirmed.state as DocumentRecord).reviews).toHaveLength(1);
  });

  test('calendar months clamp to the month’s end; fixed intervals add exactly', () => {
    expect(addInterval('2026-01-31T10:00:00.000Z', 'P1M')).toBe('2026-02-28T10:00:00.000Z');
    expect(addInterval('2026-01-31T10:00:00.000Z', 'P1Y')).toBe('2027-01-31T10:00:00.000Z');
    expect(addInterval('2026-01-31T10:00:00.000Z', 'PT5S')).toBe('2026-01-31T10:00:05.000Z');
  });

  test('every event type is tabled under the document category, and every event is plain JSON', () => {
    for (const type of Object.keys(DOCUMENT_ISO_42001_REFERENCES))
      expect(tabledReferences('document-ai-policy', type).clauses.length).toBeGreaterThan(0);
    for (const e of published1()) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
