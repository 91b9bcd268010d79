/**
 * The `documents` read model: one row per document stream from its creation, with the version in force,
 * when its review is due and how many acknowledgements of it are outstanding.
 */
import {
  approvalTaskIdOf,
  decide,
  evolve,
  reviewTaskIdOf,
  type DocumentCommand,
  type DocumentEvent,
  type DocumentState,
} from '../../../domain/document';
import type { Actor } from '../../../domain/shared/roles';
import type { Projected } from '../../../infra/ports/read-model-store.port';
import { DOCUMENTS, type DocumentRow } from '../../../infra/projections/read-models';
import { EvidenceLog } from '../../support/recorded-events';

const alice: Actor = { id: 'alice', roles: ['aims_owner'] };
const rob: Actor = { id: 'rob', roles: ['risk_owner'] };
const at = '2026-03-01T09:00:00.000Z';

function decided(commands: DocumentCommand[]): DocumentEvent[] {
  let state: DocumentState = null;
  const all: DocumentEvent[] = [];
  for (const c of commands) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(r.error.message);
    for (const e of r.value) state = evolve(state, e);
    all.push(...r.value);
  }
  return all;
}

function fold(log: EvidenceLog): Map<string, DocumentRow> {
  const rows = new Map<string, Projected<DocumentRow, DocumentState>>();
  for (const event of log.events) {
    const key = DOCUMENTS.keyOf(event);
    if (key === null) continue;
    const next = DOCUMENTS.apply(rows.get(key) ?? null, event);
    if (next === null) rows.delete(key);
    else rows.set(key, JSON.parse(JSON.stringify(next)) as Projected<DocumentRow, DocumentState>);
  }
  return new Map([...rows].map(([k, v]) => [k, v.row]));
}

const create = (documentId: string): DocumentCommand => ({
  type: 'CreateDocument',
  documentId,
  kind: 'procedure',
  title: documentId,
  owner: 'Alice',
  classification: 'internal',
  retention: 'P3Y',
  acknowledgementRoles: ['engineer'],
  reviewInterval: 'P6M',
  by: alice,
  at,
});
const submit = (documentId: string): DocumentCommand => ({
  type: 'SubmitDocumentVersion',
  version: 1,
  reviewTaskId: reviewTaskIdOf(documentId, 1),
  markdown: '# How we work',
  markdownDigest: `sha256:${'b'.repeat(64)}`,
  changeSummary: 'First issue',
  by: alice,
  at,
});
const decideTask = (taskId: string, by: Actor): DocumentCommand => ({
  type: 'DecideDocumentTask',
  taskId,
  outcome: 'approved',
  reasons: [],
  by,
  at,
});

describe('documents read model', () => {
  it('given one document published and one in review, when folded, then a row each with its stage, version in force and review date', () => {
    const log = new EvidenceLog();
    log.record(
      'document-p1',
      decided([
        create('p1'),
        submit('p1'),
        decideTask(reviewTaskIdOf('p1', 1), rob),
        decideTask(approvalTaskIdOf('p1', 1), { id: 'olga', roles: ['aims_owner'] }),
        { type: 'RequestAcknowledgements', version: 1, people: [{ id: 'erin', roles: ['engineer'] }], source: 'test', at },
      ]),
    );
    log.record('document-p2', decided([create('p2'), submit('p2')]));
    log.record('documentary-x', [{ type: 'DocumentCreated', by: { id: 'a', role: 'aims_owner' }, at }]);
    const rows = fold(log);
    expect([...rows.keys()]).toEqual(['p1', 'p2']);
    expect(rows.get('p1')).toMatchObject({
      stage: 'published',
      publishedVersion: 1,
      reviewDueAt: '2026-09-01T09:00:00.000Z',
      acknowledgementsOutstanding: 1,
      owner: 'Alice',
    });
    expect(rows.get('p2')).toMatchObject({ stage: 'in_review', publishedVersion: null, reviewDueAt: null, versions: 1 });
    expect(DOCUMENTS.columns.find((c) => c.name === 'owner')?.value(rows.get('p1') as DocumentRow)).toBe('alice');
  });
});
