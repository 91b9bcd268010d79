/**
 * The ai-policy activity against a real SQLite evidence store: it finds every document of kind ai_policy
 * from the documents' own evidence and answers the version each had in force at the instant asked (by the
 * domain's clock), none before the first publication, the newer version once it replaced the older, and
 * never another kind's document.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { createAiPolicyActivities } from '../../../activities/ai-policy.activities';
import {
  approvalTaskIdOf,
  decide,
  evolve,
  eventData,
  INITIAL_DOCUMENT_STATE,
  reviewTaskIdOf,
  type DocumentCommand,
  type DocumentEvent,
  type DocumentState,
} from '../../../domain/document';
import type { Actor } from '../../../domain/shared/roles';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';

const alice: Actor = { id: 'alice', roles: ['aims_owner'] };
const rob: Actor = { id: 'rob', roles: ['risk_owner'] };
const tess: Actor = { id: 'tess', roles: ['top_management'] };
const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const at = (minute: number): string => new Date(Date.UTC(2026, 0, 10, 9, minute)).toISOString();
const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const POLICY_MD = [
  '# AI policy',
  '## Purpose',
  'We use AI responsibly.',
  '## Commitments',
  'We commit to satisfy applicable requirements and to continual improvement.',
  '## Framework for objectives',
  'Objectives are set each year.',
  '## Related policies',
  '- Information security policy',
].join('\n');

/** A document created, then each version submitted, reviewed and approved (published) at the minutes given. */
function published(
  documentId: string,
  kind: 'ai_policy' | 'procedure',
  versions: Array<{ minute: number; digest: string }>,
): DocumentEvent[] {
  const commands: DocumentCommand[] = [
    {
      type: 'CreateDocument',
      documentId,
      kind,
      title: kind === 'ai_policy' ? 'AI policy' : 'Release procedure',
      owner: 'alice',
      classification: 'internal',
      retention: 'P7Y',
      acknowledgementRoles: [],
      by: alice,
      at: at(0),
    },
  ];
  versions.forEach(({ minute, digest: d }, i) => {
    const version = i + 1;
    commands.push(
      {
        type: 'SubmitDocumentVersion',
        version,
        reviewTaskId: reviewTaskIdOf(documentId, version),
        markdown: POLICY_MD,
        markdownDigest: d,
        changeSummary: `Issue ${version}`,
        change: { reason: 'The AIMS needs it', consequences: 'It is followed' },
        by: alice,
        at: at(minute),
      },
      {
        type: 'DecideDocumentTask',
        taskId: reviewTaskIdOf(documentId, version),
        outcome: 'approved',
        reasons: [],
        by: rob,
        at: at(minute + 1),
      },
      {
        type: 'DecideDocumentTask',
        taskId: approvalTaskIdOf(documentId, version),
        outcome: 'approved',
        reasons: [],
        by: kind === 'ai_policy' ? tess : amara,
        at: at(minute + 2),
      },
    );
  });
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

let dir: string;
let store: EventStore;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-ai-policy-'));
  store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
  const append = (stream: string, events: DocumentEvent[]) =>
    store.append(
      stream,
      events.map((e) => ({ id: randomUUID(), type: e.type, data: eventData(e) })),
    );
  await append(
    'document-ai-policy',
    published('ai-policy', 'ai_policy', [
      { minute: 10, digest: digest('a') },
      { minute: 20, digest: digest('b') },
    ]),
  );
  await append('document-release', published('release', 'procedure', [{ minute: 5, digest: digest('c') }]));
});
afterAll(async () => {
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('before the first publication none is in force; then version 1; once version 2 is published, version 2; other kinds never', async () => {
  const activities = createAiPolicyActivities(store);
  const aiPolicyInForce = (input: { at: string }) => activities.aiPolicyInForce(input);
  expect((await aiPolicyInForce({ at: at(11) })).policies).toEqual([]);
  expect((await aiPolicyInForce({ at: at(12) })).policies).toEqual([
    { documentId: 'ai-policy', title: 'AI policy', version: 1, markdownDigest: digest('a'), attachmentDigests: [], publishedAt: at(12) },
  ]);
  // Version 2 submitted and reviewed, not yet approved: version 1 is still the one in force.
  expect((await aiPolicyInForce({ at: at(21) })).policies.map((p) => p.version)).toEqual([1]);
  const later = await aiPolicyInForce({ at: at(40) });
  expect(later).toEqual({
    asOf: at(40),
    policies: [
      { documentId: 'ai-policy', title: 'AI policy', version: 2, markdownDigest: digest('b'), attachmentDigests: [], publishedAt: at(22) },
    ],
    source: expect.stringContaining('ai_policy'),
  });
});

test('an instant that is not one is refused, not retried', async () => {
  const activities = createAiPolicyActivities(store);
  const aiPolicyInForce = (input: { at: string }) => activities.aiPolicyInForce(input);
  const error = await aiPolicyInForce({ at: 'yesterday' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'INVALID_INSTANT', nonRetryable: true });
});

test('one worker asked again after a second AI policy is created finds it too (it scans only what was appended since)', async () => {
  const activities = createAiPolicyActivities(store);
  expect((await activities.aiPolicyInForce({ at: at(40) })).policies.map((p) => p.documentId)).toEqual(['ai-policy']);
  await store.append(
    'document-ai-policy-eu',
    published('ai-policy-eu', 'ai_policy', [{ minute: 30, digest: digest('d') }]).map((e) => ({
      id: randomUUID(),
      type: e.type,
      data: eventData(e),
    })),
  );
  expect((await activities.aiPolicyInForce({ at: at(40) })).policies.map((p) => p.documentId)).toEqual(['ai-policy', 'ai-policy-eu']);
});
