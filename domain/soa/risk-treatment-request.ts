/**
 * A risk treatment that adds or drops controls asks for a revision of the Statement of Applicability
 * (6.1.3: the SoA follows the treatment). Added: controls of the approved plan that the SoA in force does
 * not hold as applicable; dropped: controls of the previous plan that this one no longer names and that the
 * SoA in force holds as applicable (another risk may still need them: the revision's reviewers judge that).
 * Nothing to ask when the SoA in force already reflects the plan.
 */
import { isAnnexAControlId } from '../catalogue/annex-a-controls';
import type { RiskTreatmentControlsChange } from '../shared/risk-links';
import { OWN_CONTROL_ID, type SoaState } from './model';

export interface TreatmentRevisionCause {
  kind: 'risk_treatment';
  riskId: string;
  controlsAdded: string[];
  controlsDropped: string[];
}

const isControlId = (id: string): boolean => isAnnexAControlId(id) || OWN_CONTROL_ID.test(id);

export function revisionCauseOfTreatment(state: SoaState, change: RiskTreatmentControlsChange): TreatmentRevisionCause | null {
  const applicable = new Set((state.inForce?.entries ?? []).filter((e) => e.applicable).map((e) => e.controlId));
  const now = new Set(change.controls.filter(isControlId));
  const controlsAdded = [...now].filter((id) => !applicable.has(id)).sort();
  const controlsDropped = [...new Set(change.previousControls.filter(isControlId))]
    .filter((id) => !now.has(id) && applicable.has(id))
    .sort();
  if (controlsAdded.length + controlsDropped.length === 0) return null;
  return { kind: 'risk_treatment', riskId: change.riskId, controlsAdded, controlsDropped };
}
