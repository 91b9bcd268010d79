/**
 * The organisation's identity register (`peopleIdentities`) on a real Temporal server with a real SQLite
 * evidence store: two registrations claiming one identity at the same moment cannot both get it (the
 * workflow decides its Updates one after another): exactly one is reserved, the other refused
 * IDENTITY_TAKEN naming the holder, and the refusal records nothing. A release gives the identity up, and
 * then another person may have it.
 */
import { PEOPLE_IDENTITIES_STREAM, PEOPLE_IDENTITIES_WORKFLOW_ID } from '../../../domain/people';
import type { Actor } from '../../../domain/shared/roles';
import type { peopleIdentities } from '../../../workflows';
import {
  peopleIdentitiesStateQuery,
  releaseIdentitiesUpdate,
  reserveIdentitiesUpdate,
} from '../../../workflows/people-identities.messages';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { expectRefused, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given two registrations claiming one e-mail at once, when both reserve, then exactly one holds it and the other is refused IDENTITY_TAKEN writing nothing', async () => {
  await h.env.client.workflow.start('peopleIdentities', {
    taskQueue: h.taskQueue,
    workflowId: PEOPLE_IDENTITIES_WORKFLOW_ID,
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{}],
  });
  const handle = h.env.client.workflow.getHandle<typeof peopleIdentities>(PEOPLE_IDENTITIES_WORKFLOW_ID);
  const shared = 'sam@example.com';
  const claims = [
    handle.executeUpdate(reserveIdentitiesUpdate, { args: [{ by: amara, personId: 'sam-a', identities: ['sam-a', shared] }] }),
    handle.executeUpdate(reserveIdentitiesUpdate, { args: [{ by: tara, personId: 'sam-b', identities: ['sam-b', shared] }] }),
  ];
  const [a, b] = await Promise.allSettled(claims);
  expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
  const winner = a.status === 'fulfilled' ? 'sam-a' : 'sam-b';
  const loser = winner === 'sam-a' ? 'sam-b' : 'sam-a';
  const refused = await expectRefused(a.status === 'rejected' ? claims[0] : claims[1], 'IDENTITY_TAKEN');
  expect(refused.message).toContain(`already acts for ${winner}`);
  expect((await handle.query(peopleIdentitiesStateQuery)).holders).toEqual({ [winner]: winner, [shared]: winner });

  // the holder reserving again changes nothing; someone else is still refused
  await handle.executeUpdate(reserveIdentitiesUpdate, { args: [{ by: amara, personId: winner, identities: [shared] }] });
  await expectRefused(
    handle.executeUpdate(reserveIdentitiesUpdate, { args: [{ by: amara, personId: loser, identities: [loser, shared] }] }),
    'IDENTITY_TAKEN',
  );
  // released (the winner's identities changed), the address is the other person's to take
  await handle.executeUpdate(releaseIdentitiesUpdate, {
    args: [{ by: tara, personId: winner, identities: [shared], reason: 'their address changed' }],
  });
  await handle.executeUpdate(reserveIdentitiesUpdate, { args: [{ by: amara, personId: loser, identities: [loser, shared] }] });

  const events = await readStream(h.store, PEOPLE_IDENTITIES_STREAM);
  expect(events.map((e) => [e.type, e.data.personId, e.data.identities])).toEqual([
    ['IdentitiesReserved', winner, [winner, shared].sort()],
    ['IdentitiesReleased', winner, [shared]],
    ['IdentitiesReserved', loser, [loser, shared].sort()],
  ]);
  writeHistoryFixture('people-identities', 'concurrent-claims-one-wins', await handle.fetchHistory());
});
