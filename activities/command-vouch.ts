/**
 * The worker's check that a step was really asked for, before its evidence is recorded: the workflow
 * trusts Temporal to deliver messages, but not to say who sent them. Anyone who can reach Temporal can
 * send an Update, start a workflow or signal one; only the API and the CLI hold the command keys.
 *
 * - A person's step must carry the signature of the Update (or start) that asked for it, made with a
 *   configured key over that very message (domain/command-signature), issued within the accepted age of
 *   the moment the workflow accepted it.
 * - A step one process takes because another acted must name that act's evidence, which must exist with
 *   the expected type and data; a risk's posture noted by its system's lifecycle must be what the risk's
 *   evidence gives at its head.
 * - Steps the workflow takes by itself (timers, its own checks) act as `system` and need neither.
 *
 * A signed command also names the credential its sender authenticated with (`credential`, beside `by`,
 * under the signature); once the signature holds it is returned to be recorded in each event's metadata.
 */
import { splitSigned } from '../domain/command-signature/command-signature';
import { credentialOf } from '../domain/command-signature/credential';
import { isRequestId } from '../domain/shared/request-id';
import type { JsonObject } from '../domain/shared/json';
import type { EventStore, EvidenceMetadata } from '../infra/ports/event-store.port';
import { verifyArgument, type CommandKeyRing } from '../infra/signing/command-keys';
import type { EvidenceVouch } from '../domain/command-signature/evidence-vouch';
import { evolve as evolveRisk, riskPosture, type RiskEvent, type RiskState } from '../domain/risk';

export interface CommandVouchPolicy {
  keys: CommandKeyRing;
  /** How long a signed command may take from signing to acceptance. */
  maxAgeMs: number;
}

export type VouchOutcome =
  | {
      ok: true;
      vouchedBy: JsonObject | null;
      /** The credential the signed command names (absent for commands signed without one, e.g. before it existed). */
      credential?: JsonObject;
      /** The API request that sent it (X-Request-Id), when the signed command names one. */
      httpRequestId?: string;
    }
  | { ok: false; code: 'COMMAND_NOT_VOUCHED'; reason: string };

/** How far back a cause is looked for in its stream: causes are the events just before their effect. */
const CAUSE_SEARCH_DEPTH = 10_000;

export async function checkVouch(
  store: EventStore,
  policy: CommandVouchPolicy,
  metadata: EvidenceMetadata,
  vouch: EvidenceVouch | undefined,
): Promise<VouchOutcome> {
  const actor = metadata.actor as { id?: unknown; role?: unknown } | undefined;
  const byPerson = actor?.role !== 'system';
  if (vouch === undefined) {
    return byPerson
      ? { ok: false, code: 'COMMAND_NOT_VOUCHED', reason: `a step by ${String(actor?.id)} carries no signed command` }
      : { ok: true, vouchedBy: null };
  }
  if (vouch.kind === 'signed-command') {
    const split = splitSigned(vouch.argument);
    if (split === null) return { ok: false, code: 'COMMAND_NOT_VOUCHED', reason: 'the command is not an object' };
    const checked = verifyArgument(
      policy.keys,
      { workflowId: vouch.workflowId, message: vouch.message, messageId: vouch.messageId },
      split.argument,
      (vouch.argument as { signature?: unknown }).signature,
      { now: new Date(vouch.acceptedAt), maxAgeMs: policy.maxAgeMs },
    );
    if (!checked.ok)
      return {
        ok: false,
        code: 'COMMAND_NOT_VOUCHED',
        reason: `${vouch.message} on ${vouch.workflowId}: ${checked.detail} (${checked.reason})`,
      };
    // Read from the argument the signature covers: nobody without the keys can add or alter it.
    const credential = credentialOf(split.argument.credential);
    const httpRequestId = split.argument.httpRequestId;
    return {
      ok: true,
      vouchedBy: {
        kind: 'signed-command',
        keyId: checked.keyId,
        issuedAt: checked.issuedAt,
        message: vouch.message,
        messageId: vouch.messageId,
      },
      ...(credential === null ? {} : { credential }),
      ...(isRequestId(httpRequestId) ? { httpRequestId } : {}),
    };
  }
  if (vouch.kind === 'risk-posture') return checkRiskPosture(store, vouch);
  let seen = 0;
  for await (const event of store.readStream(vouch.stream, { direction: 'backwards' })) {
    if (event.id === vouch.eventId) {
      const matches =
        event.type === vouch.type && Object.entries(vouch.data).every(([k, v]) => JSON.stringify(event.data[k]) === JSON.stringify(v));
      if (!matches)
        return { ok: false, code: 'COMMAND_NOT_VOUCHED', reason: `evidence ${vouch.eventId} is not the ${vouch.type} this step needs` };
      return { ok: true, vouchedBy: { kind: 'evidence', stream: vouch.stream, eventId: vouch.eventId, position: event.position } };
    }
    seen += 1;
    if (seen >= CAUSE_SEARCH_DEPTH) break;
  }
  return { ok: false, code: 'COMMAND_NOT_VOUCHED', reason: `no evidence ${vouch.eventId} in ${vouch.stream}` };
}

/** How far ahead of the check's clock a posture's `changedAt` may be (clocks of worker hosts differ a little). */
const POSTURE_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A risk posture is vouched for by the risk's own evidence: the cause is in its stream, and the stream
 * folded to its head gives the same level and blockers. A posture the risk has since moved on from is
 * refused too (the risk tells its newer one after each step), so neither an old posture sent again nor a
 * made-up one can clear, or set, a block.
 */
async function checkRiskPosture(store: EventStore, vouch: Extract<EvidenceVouch, { kind: 'risk-posture' }>): Promise<VouchOutcome> {
  const refuse = (reason: string): VouchOutcome => ({ ok: false, code: 'COMMAND_NOT_VOUCHED', reason });
  const changedAt = Date.parse(vouch.changedAt);
  if (Number.isNaN(changedAt) || changedAt > Date.now() + POSTURE_CLOCK_SKEW_MS)
    return refuse(`risk ${vouch.riskId}'s posture is dated ${vouch.changedAt}, later than now`);
  let state: RiskState = null;
  let cause: number | null = null;
  for await (const event of store.readStream(vouch.stream)) {
    state = evolveRisk(state, { ...event.data, type: event.type } as unknown as RiskEvent);
    if (event.id === vouch.eventId) cause = event.position;
  }
  if (cause === null) return refuse(`no evidence ${vouch.eventId} in ${vouch.stream}`);
  if (state === null || state.riskId !== vouch.riskId) return refuse(`${vouch.stream} is not the evidence of risk ${vouch.riskId}`);
  const posture = riskPosture(state);
  const same = (a: readonly string[], b: readonly string[]): boolean => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (posture.level !== vouch.level || !Array.isArray(vouch.blockers) || !same(posture.blockers, vouch.blockers))
    return refuse(
      `risk ${vouch.riskId}'s evidence gives level ${posture.level} with blockers [${posture.blockers.join(', ')}], not the posture sent`,
    );
  return { ok: true, vouchedBy: { kind: 'evidence', stream: vouch.stream, eventId: vouch.eventId, position: cause } };
}
