/**
 * The signals between the `aiSystemLifecycle` and `risk` workflows (the contract is in
 * domain/shared/risk-links.ts). Signals, not updates: neither process waits for the other, and a risk of a
 * system that has no running lifecycle (decommissioned) must still complete its own steps.
 */
import { defineSignal } from '@temporalio/workflow';
import type { RiskPostureChange, RiskReassessmentRequest, RiskTreatmentControlsChange } from '../domain/shared/risk-links';

/** Sent by a risk to `ai-system-<systemId>`. */
export const riskPostureChangedSignal = defineSignal<[RiskPostureChange]>('riskPostureChanged');

/** Sent by a lifecycle to `risk-<riskId>` for every risk it knows of. */
export const riskReassessmentRequestedSignal = defineSignal<[RiskReassessmentRequest]>('riskReassessmentRequested');

/** Sent by a risk to the Statement of Applicability (`soa-organisation`) when a treatment plan is approved. */
export const riskTreatmentControlsChangedSignal = defineSignal<[RiskTreatmentControlsChange]>('riskTreatmentControlsChanged');
