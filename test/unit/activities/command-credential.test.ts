/**
 * The credential a command names reaches the evidence only under the command's signature
 * (domain/command-signature/credential.ts, activities/command-vouch.ts).
 */
import { checkVouch } from '../../../activities/command-vouch';
import { credentialOf } from '../../../domain/command-signature/credential';
import type { JsonObject } from '../../../domain/shared/json';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { signArgument } from '../../../infra/signing/command-keys';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';

// A signed command's check never reads the store (only a cause in the evidence does).
const NO_STORE = {} as EventStore;
const POLICY = { keys: TEST_COMMAND_KEYS, maxAgeMs: 600_000 };
const MESSAGE = { workflowId: 'ai-system-lifecycle-x', message: 'submitImpactAssessment', messageId: 'u-1' };
const BY = { id: 'alice', roles: ['engineer'] };

function vouchFor(argument: JsonObject) {
  return { kind: 'signed-command' as const, ...MESSAGE, argument, acceptedAt: new Date().toISOString() };
}

describe('the credential in a signed command', () => {
  it('given a command signed with its credential, when vouched for, then the credential is returned for the metadata', async () => {
    const credential = { kind: 'api-token', tokenId: '0123456789abcdef' };
    const signed = signArgument(TEST_COMMAND_KEYS, { ...MESSAGE, argument: { by: BY, credential } });
    const outcome = await checkVouch(NO_STORE, POLICY, { actor: { id: 'alice', role: 'engineer' } }, vouchFor(signed));
    expect(outcome).toMatchObject({ ok: true, credential, vouchedBy: { kind: 'signed-command' } });
  });

  it('given a credential swapped or added after signing (through Temporal), when vouched for, then the command is refused', async () => {
    const signed = signArgument(TEST_COMMAND_KEYS, {
      ...MESSAGE,
      argument: { by: BY, credential: { kind: 'api-token', tokenId: '0123456789abcdef' } },
    });
    const swapped = { ...signed, credential: { kind: 'jwt', issuer: 'https://evil/', subject: 'mallory' } };
    expect(await checkVouch(NO_STORE, POLICY, {}, vouchFor(swapped))).toMatchObject({ ok: false, code: 'COMMAND_NOT_VOUCHED' });
    const bare = signArgument(TEST_COMMAND_KEYS, { ...MESSAGE, argument: { by: BY } });
    const added = { ...bare, credential: { kind: 'api-token', tokenId: 'fedcba9876543210' } };
    expect(await checkVouch(NO_STORE, POLICY, {}, vouchFor(added))).toMatchObject({ ok: false });
  });

  it('given a command signed without a credential (an older client), when vouched for, then it is accepted without one', async () => {
    const signed = signArgument(TEST_COMMAND_KEYS, { ...MESSAGE, argument: { by: BY } });
    const outcome = await checkVouch(NO_STORE, POLICY, {}, vouchFor(signed));
    expect(outcome.ok).toBe(true);
    expect(outcome).not.toHaveProperty('credential');
  });

  it.each([
    [
      { kind: 'api-token', tokenId: '0123456789abcdef', secret: 'x' },
      { kind: 'api-token', tokenId: '0123456789abcdef' },
    ],
    [
      { kind: 'jwt', issuer: 'https://idp/', subject: 'Alice', jti: 'j1' },
      { kind: 'jwt', issuer: 'https://idp/', subject: 'Alice', jti: 'j1' },
    ],
    [{ kind: 'api-token', tokenId: 'not-an-id' }, null],
    [{ kind: 'jwt', issuer: '', subject: 'a' }, null],
    [{ kind: 'password' }, null],
    ['api-token', null],
  ])('given %j, when read as a credential, then only known fields of a known kind are kept: %j', (value, expected) => {
    expect(credentialOf(value)).toEqual(expected);
  });
});
