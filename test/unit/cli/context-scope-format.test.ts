/**
 * What `aims context list` and `aims scope show|check` print about review dates and the controlled scope
 * document: an entry due for review (with its task) or overdue; the document the statement rests on, still
 * in force or superseded; an answer from an API before either field existed reads as before.
 */
import { formatRegister, type ContextEntryRow } from '../../../apps/cli/src/commands/context.command';
import { documentLine, formatCheck, type ScopeDocumentBody } from '../../../apps/cli/src/commands/scope.command';

const entry = (over: Partial<ContextEntryRow> = {}): ContextEntryRow => ({
  entryId: 'obligation-1',
  register: 'obligation',
  version: 1,
  content: { source: 'legal', title: 'High-risk AI system', references: ['EU AI Act Art.9'] },
  owner: 'rita',
  reviewBy: '2027-01-31',
  status: 'active',
  reviewOverdue: false,
  ...over,
});
const list = (e: ContextEntryRow): string => formatRegister({ register: 'obligation', at: '2027-01-20T00:00:00.000Z', items: [e] });

describe('aims context list', () => {
  test('an entry due for review says so with its task; overdue wins; neither when not due or from an older API', () => {
    expect(list(entry({ dueForReview: true, reviewTaskId: 'context-review-1-obligation-1' }))).toContain(
      'review by 2027-01-31 (DUE FOR REVIEW, task context-review-1-obligation-1)',
    );
    expect(list(entry({ dueForReview: true, reviewOverdue: true, reviewTaskId: 'context-review-1-obligation-1' }))).toContain(
      '(OVERDUE, task context-review-1-obligation-1)',
    );
    expect(list(entry({ dueForReview: false, reviewTaskId: null }))).toMatch(/review by 2027-01-31\n$/);
    expect(list(entry())).toMatch(/review by 2027-01-31\n$/);
  });
});

describe('aims scope show|check', () => {
  const doc: ScopeDocumentBody = {
    documentId: 'aims-scope',
    version: 1,
    title: 'Scope of the AIMS',
    markdownDigest: `sha256:${'ab'.repeat(32)}`,
    publishedAt: '2026-01-02T09:00:00.000Z',
    versionInForce: 1,
    current: true,
  };

  test('the document the statement rests on: in force, superseded, withdrawn, or none named', () => {
    expect(documentLine(doc)).toBe(
      'Rests on document aims-scope v1 "Scope of the AIMS" (sha256:abababababab…), published 2026-01-02T09:00:00.000Z: still the version in force.',
    );
    expect(documentLine({ ...doc, versionInForce: 2, current: false })).toContain('SUPERSEDED: the document is at v2');
    expect(documentLine({ ...doc, versionInForce: null, current: false })).toContain('the document has no version in force now');
    expect(documentLine(null)).toBe('Rests on no controlled document (the proposal named none).');
    expect(documentLine(undefined)).toBe('Rests on no controlled document (the proposal named none).');
  });

  test('the check prints the document line under the version, and nothing about it when no statement is in force', () => {
    const base = {
      reconciled: true,
      at: '2027-01-20T00:00:00.000Z',
      inventory: [],
      withoutDecision: [],
      contradictions: [],
      namedNotRegistered: [],
    };
    expect(formatCheck({ ...base, version: 1, document: doc }).split('\n')[1]).toMatch(/^Rests on document aims-scope v1/);
    expect(formatCheck({ ...base, version: null, reconciled: false })).not.toContain('Rests on');
  });
});
