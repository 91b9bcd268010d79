/** The 9.3.2 input pack compiled from given evidence: what each item says, the ids it rests on, its gaps, its hash. */
import { createHash } from 'node:crypto';
import { compileReviewInputs, packHashOf, ReviewInputCompiler, type RecordedEvent } from '../../../../domain/management-review';
import type { JsonObject } from '../../../../domain/shared/json';

const sha = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');
let position = 0;
const ev = (stream: string, type: string, data: JsonObject, recordedAt = '2026-03-01T00:00:00.000Z'): RecordedEvent => {
  position += 1;
  return { id: `e${position}`, stream, type, position, recordedAt, data };
};
const itemOf = (pack: ReturnType<typeof compileReviewInputs>, key: string) => {
  const it = pack.items.find((i) => i.key === key);
  if (it === undefined) throw new Error(`no item ${key}`);
  return it;
};

beforeEach(() => {
  position = 0;
});

test('an empty log gives every 9.3.2 input, and each one a marked gap where nothing is recorded', () => {
  const pack = compileReviewInputs([], { reviewId: 'MR-1' });
  expect(pack.position).toBe(0);
  expect(pack.items.map((i) => i.key)).toEqual([
    'previous_actions',
    'context_issues',
    'interested_parties',
    'nonconformities',
    'monitoring_results',
    'audit_results',
    'objectives_attainment',
    'risks_and_opportunities',
    'statement_of_applicability',
    'resources',
    'interested_party_feedback',
  ]);
  expect(itemOf(pack, 'monitoring_results').gap).toMatch(/no ObjectiveMeasured/);
  expect(itemOf(pack, 'objectives_attainment').gap).not.toBeNull();
  expect(itemOf(pack, 'resources').gap).not.toBeNull();
  expect(itemOf(pack, 'interested_party_feedback').gap).not.toBeNull();
  expect(pack.items.every((i) => i.evidence.length === 0)).toBe(true);
});

test('measurements, audits, nonconformities, risks, SoA and people are counted, each with the ids it rests on', () => {
  const events = [
    ev('objective-fairness', 'ObjectiveMeasured', { value: 0.93, onTarget: true }),
    ev('objective-latency', 'ObjectiveMeasured', { value: 410, onTarget: false }),
    ev('objective-latency', 'ObjectiveMeasured', { value: 380, onTarget: true }),
    ev('internal-audit-IA-1', 'AuditPlanned', {}),
    ev('internal-audit-IA-1', 'AuditFindingRecorded', { findingType: 'minor_nonconformity' }),
    ev('nonconformity-NC-1', 'NonconformityRaised', { severity: 'minor' }),
    ev('nonconformity-NC-1', 'CorrectiveActionCompleted', {}),
    ev('nonconformity-NC-2', 'NonconformityRaised', { severity: 'major' }),
    ev('nonconformity-NC-2', 'NonconformityClosed', {}),
    ev('risk-R1', 'RiskIdentified', {}),
    ev('risk-R1', 'RiskAssessed', { inherent: { level: 'high' } }),
    ev('risk-criteria-organisation', 'RiskIdentified', {}), // another process: not a risk
    ev('soa', 'SoaRevisionApproved', { revisionId: 'soa-revision-1', version: 1 }),
    ev('person-pat', 'PersonRegistered', {}),
    ev('person-pat', 'CompetenceRecorded', {}),
    ev('ai-system-credit', 'ObjectiveMeasured', { onTarget: true }), // not an objective's stream
  ];
  const pack = compileReviewInputs(events, { reviewId: 'MR-1' });
  expect(pack.position).toBe(16);
  const monitoring = itemOf(pack, 'monitoring_results');
  expect(monitoring.gap).toBeNull();
  expect(monitoring.summary[0]).toBe('3 measurements of 2 objectives.');
  expect(monitoring.evidence).toEqual(['e1', 'e2', 'e3']);
  const attained = itemOf(pack, 'objectives_attainment');
  expect(attained.summary[0]).toBe('2 of 2 measured objectives on target at the last measurement.');
  expect(attained.evidence).toEqual(['e1', 'e3']);
  expect(itemOf(pack, 'audit_results').entries).toEqual([
    { text: 'audit IA-1: planned; findings: 1 minor nonconformity', evidence: ['e4', 'e5'] },
  ]);
  const nc = itemOf(pack, 'nonconformities');
  expect(nc.summary[0]).toMatch(/^2 nonconformities raised, 1 open, 1 closed/);
  expect(nc.summary[1]).toBe('1 corrective action completed.');
  expect(nc.evidence).toEqual(['e6', 'e7', 'e8', 'e9']);
  expect(itemOf(pack, 'risks_and_opportunities').entries).toEqual([{ text: 'risk R1: high', evidence: ['e10', 'e11'] }]);
  expect(itemOf(pack, 'statement_of_applicability')).toMatchObject({ gap: null, evidence: ['e13'] });
  expect(itemOf(pack, 'resources')).toMatchObject({ gap: null, evidence: ['e14', 'e15'] });
});

test('actions of earlier reviews: open, overdue against the log’s own time, or closed by their improvement', () => {
  const events = [
    ev('management-review-MR-0', 'ManagementReviewInputsCompiled', { position: 0 }),
    ev('management-review-MR-0', 'ManagementReviewDecisionRecorded', {
      decisionId: 'decision-1',
      kind: 'resource_need',
      owner: 'olivia',
      dueDate: '2026-02-01',
      text: 'Hire',
      actionId: 'MR-0.decision-1',
    }),
    ev('management-review-MR-0', 'ManagementReviewDecisionRecorded', {
      decisionId: 'decision-2',
      kind: 'change_to_the_aims',
      owner: 'erin',
      dueDate: '2026-12-31',
      text: 'Change',
      actionId: 'MR-0.decision-2',
    }),
    ev('management-review-MR-0', 'ManagementReviewSignedOff', {}),
    ev('improvement-MR-0.decision-2', 'ImprovementProposed', {}),
    ev('improvement-MR-0.decision-2', 'ImprovementDecided', { outcome: 'accepted' }),
    ev('improvement-MR-0.decision-2', 'ImprovementOutcomeRecorded', {}),
    ev('improvement-OTHER', 'ImprovementProposed', {}), // not an action of a review
    ev('aims-context-organisation', 'ContextEntryRecorded', {
      entryId: 'issue-1',
      register: 'issue',
      content: { origin: 'external', title: 'EU AI Act applies' },
    }),
    ev('management-review-MR-1', 'ManagementReviewPlanned', {}), // the review's own record is not its input
  ];
  const pack = compileReviewInputs(events, { reviewId: 'MR-1' });
  expect(pack.previousReview).toEqual({ reviewId: 'MR-0', position: 0 });
  const actions = itemOf(pack, 'previous_actions');
  expect(actions.summary[0]).toBe('2 actions from earlier reviews: 1 open, 1 overdue.');
  expect(actions.entries[0]).toEqual({ text: expect.stringMatching(/not started and overdue\.$/), evidence: ['e2'] });
  expect(actions.entries[1]).toEqual({ text: expect.stringMatching(/is implemented \(closed\)\.$/), evidence: ['e3', 'e5', 'e6', 'e7'] });
  expect(itemOf(pack, 'context_issues').entries).toEqual([
    { text: 'issue-1 recorded: external issue: EU AI Act applies', evidence: ['e9'] },
  ]);
  expect(itemOf(pack, 'interested_parties').gap).not.toBeNull();
});

test('context changes are counted since the previous review’s inputs; earlier ones are not changes', () => {
  const events = [
    ev('aims-context-organisation', 'ContextEntryRecorded', {
      entryId: 'party-1',
      register: 'interested_party',
      content: { name: 'Customers', requirements: ['explanations'] },
    }),
    ev('management-review-MR-0', 'ManagementReviewInputsCompiled', { position: 1 }),
    ev('management-review-MR-0', 'ManagementReviewSignedOff', {}),
    ev('aims-context-organisation', 'ContextEntryReviewed', { entryId: 'party-1' }),
  ];
  const pack = compileReviewInputs(events, { reviewId: 'MR-1' });
  expect(itemOf(pack, 'interested_parties').entries).toEqual([{ text: 'party-1 reviewed: Customers', evidence: ['e4'] }]);
  expect(itemOf(pack, 'interested_party_feedback').entries).toEqual([
    { text: 'party-1 Customers: 1 requirement recorded', evidence: ['e1', 'e4'] },
  ]);
});

test('the same evidence up to the same position gives the same pack and hash, whether folded at once or step by step', () => {
  const events = [
    ev('objective-fairness', 'ObjectiveMeasured', { onTarget: true }),
    ev('risk-R1', 'RiskIdentified', {}),
    ev('nonconformity-NC-1', 'NonconformityRaised', { severity: 'minor' }),
  ];
  const once = compileReviewInputs(events, { reviewId: 'MR-1' });
  const fold = new ReviewInputCompiler({ reviewId: 'MR-1' });
  for (const e of events) fold.add(e);
  expect(packHashOf(fold.pack(), sha)).toBe(packHashOf(once, sha));
  expect(packHashOf(once, sha)).toMatch(/^[0-9a-f]{64}$/);
  // one more event changes the pack, and so the hash
  const more = compileReviewInputs([...events, ev('objective-fairness', 'ObjectiveMeasured', { onTarget: false })], { reviewId: 'MR-1' });
  expect(packHashOf(more, sha)).not.toBe(packHashOf(once, sha));
});
