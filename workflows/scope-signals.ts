/**
 * The signals between the `aiSystemLifecycle` and `aimsScope` workflows (the contract is in
 * domain/shared/scope-links.ts). Signals, not updates: neither process waits for the other, and a lifecycle
 * must register even when the scope process is not running (then the notice is logged and lost; the
 * reconciliation, `aims scope check`, names the system as without a decision).
 */
import { defineSignal } from '@temporalio/workflow';
import type { AiSystemRegistrationNotice, AimsScopeDecision } from '../domain/shared/scope-links';

/** Sent by a lifecycle to `aims-scope-organisation` once its system is registered. */
export const aiSystemRegisteredSignal = defineSignal<[AiSystemRegistrationNotice]>('aiSystemRegistered');

/** Sent by the scope process to `ai-system-<systemId>` for each decision about the system. */
export const aimsScopeDecidedSignal = defineSignal<[AimsScopeDecision]>('aimsScopeDecided');
