/**
 * The lifecycle's side of the AIMS scope (4.3; domain/shared/scope-links.ts): once registered, it tells the
 * scope process (`aims-scope-organisation`); it notes every scope decision the scope process signals
 * (AimsScopeDecisionNoted), and its deployment gate refuses a system decided out of scope (OUT_OF_AIMS_SCOPE).
 *
 * Upgrades: runs without AIMS_SCOPE_REGISTRATION_PATCH (registered before it) tell nobody; runs without
 * AIMS_SCOPE_DECISION_PATCH at the first decision's arrival ignore it, as they did (no handler then).
 */
import { getExternalWorkflowHandle, log, patched } from '@temporalio/workflow';
import type { AiSystemCommand, AiSystemEvent, AiSystemState } from '../domain/ai-system';
import { decide } from '../domain/ai-system';
import { AIMS_SCOPE_WORKFLOW_ID, type AimsScopeDecision } from '../domain/shared/scope-links';
import type { Step } from './runtime/decider';
import { now, type Process } from './runtime/process';
import { aimsScopeDecidedSignal, aiSystemRegisteredSignal } from './scope-signals';
import { noteAiPolicyAtGate } from './ai-system-lifecycle.policy';

/** The patch marking runs that tell the scope process their system registered. */
export const AIMS_SCOPE_REGISTRATION_PATCH = 'aims-scope-registration-told';
/** The patch marking runs that note the scope decisions the scope process signals (AimsScopeDecisionNoted). */
export const AIMS_SCOPE_DECISION_PATCH = 'aims-scope-decision-noted';

/** Tells the scope process the system registered; a scope process that is not running is logged, not waited for. */
export async function tellScopeOfRegistration(registered: Step<AiSystemEvent>): Promise<void> {
  const index = registered.events.findIndex((e) => e.type === 'AiSystemRegistered');
  const event = registered.events[index];
  if (event?.type !== 'AiSystemRegistered' || !patched(AIMS_SCOPE_REGISTRATION_PATCH)) return;
  try {
    await getExternalWorkflowHandle(AIMS_SCOPE_WORKFLOW_ID).signal(aiSystemRegisteredSignal, {
      systemId: event.systemId,
      name: event.name,
      causeEventId: registered.evidenceIds[index],
      registeredAt: event.at,
    });
  } catch (error) {
    log.warn(
      `AI system ${event.systemId}: the AIMS scope was not told of its registration: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Notes each scope decision signalled, as the system's own step caused by the scope process's evidence. */
export function noteScopeDecisions(p: Process<AiSystemState, AiSystemCommand, AiSystemEvent>): void {
  p.signal(aimsScopeDecidedSignal, async (d: AimsScopeDecision) => {
    if (!patched(AIMS_SCOPE_DECISION_PATCH)) return;
    const command: AiSystemCommand = {
      type: 'RecordAimsScopeDecision',
      inScope: d.inScope,
      justification: d.justification,
      basis: d.basis,
      causeEventId: d.causeEventId,
      decidedAt: d.decidedAt,
      at: now(),
    };
    // Malformed, not registered yet, or decommissioned: nothing to record, and a signal has nobody to answer.
    const refused = decide(command, p.state);
    if (!refused.ok) {
      log.warn(`AIMS scope decision not noted: ${refused.error.code} ${refused.error.message}`);
      return;
    }
    // Out of scope blocks the requests pending or approved: each block notes the AI policy in force too.
    await noteAiPolicyAtGate(p, await p.step(command, { causationId: d.causeEventId, system: true }));
  });
}
