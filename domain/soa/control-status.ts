/**
 * The SoA with each control's status: a ruled control's verdict over the evidence, a manual control's
 * attestation (lapsed after its review date), excluded controls marked so. The gaps are the applicable
 * controls that do not operate, each with what is missing. Pure: the caller brings the SoA in force, the
 * rules' verdicts and the instant.
 */
import { findAnnexAControl, isAnnexAControlId } from '../catalogue/annex-a-controls';
import { dueInstant } from '../shared/iso-time';
import type { ControlFinding, RuleVerdict } from './control-rules';
import { isRuledControl } from './control-rules';
import type { ControlAttestation, SoaEntry, SoaInForce, SoaState } from './model';

export type ControlStatus = 'operates' | 'does_not_operate' | 'manual' | 'not_applicable';

export type ControlStatusRow = {
  controlId: string;
  title: string;
  source: 'annex_a' | 'own';
  applicable: boolean;
  justification: SoaEntry['justification'];
  owner: string | null;
  implementation: string | null;
  /** rule: judged from the evidence; attestation: a person's word (manual until one is given). */
  method: 'rule' | 'attestation' | 'none';
  status: ControlStatus;
  rule: string | null;
  checked: number | null;
  findings: ControlFinding[];
  attestation: ControlAttestation | null;
  /** What keeps it from operating, in words (empty when it operates or is excluded). */
  missing: string[];
  /** The crosswalk (Annex A controls only; from domain/catalogue). */
  euAiAct: string[];
  nistAiRmf: string[];
};

export type SoaView = {
  /** The revision in force, or null before any was approved. */
  revisionId: string | null;
  version: number;
  approvedAt: string | null;
  approvedBy: string | null;
  at: string;
  controls: ControlStatusRow[];
  summary: Record<ControlStatus, number>;
};

function attestationStatus(a: ControlAttestation | undefined, at: string): { status: ControlStatus; missing: string[] } {
  if (a === undefined) return { status: 'manual', missing: ['no attestation: its owner has not said whether it operates'] };
  const lapse = dueInstant(a.reviewBy);
  if (lapse !== null && Date.parse(at) >= lapse) {
    return { status: 'manual', missing: [`attestation by ${a.attestedBy.id} lapsed: its review date ${a.reviewBy} has passed`] };
  }
  if (a.status === 'does_not_operate')
    return { status: 'does_not_operate', missing: [`attested as not operating by ${a.attestedBy.id}: ${a.note}`] };
  return { status: 'operates', missing: [] };
}

/** One row per control of the SoA in force, with its status at `at`. */
export function controlStatuses(
  inForce: SoaInForce,
  attestations: SoaState['attestations'],
  verdicts: readonly RuleVerdict[],
  at: string,
): ControlStatusRow[] {
  return inForce.entries.map((e) => {
    const catalogue = isAnnexAControlId(e.controlId) ? findAnnexAControl(e.controlId) : undefined;
    const base = {
      controlId: e.controlId,
      title: catalogue?.title ?? e.title ?? e.controlId,
      source: catalogue ? ('annex_a' as const) : ('own' as const),
      applicable: e.applicable,
      justification: e.justification,
      owner: e.owner,
      implementation: e.implementation,
      euAiAct: catalogue ? [...catalogue.euAiActAlignment] : [],
      nistAiRmf: catalogue ? [...catalogue.nistAiRmfFunctions] : [],
    };
    if (!e.applicable) {
      return { ...base, method: 'none', status: 'not_applicable', rule: null, checked: null, findings: [], attestation: null, missing: [] };
    }
    const verdict = isRuledControl(e.controlId) ? verdicts.find((v) => v.controlId === e.controlId) : undefined;
    if (verdict) {
      return {
        ...base,
        method: 'rule',
        status: verdict.status,
        rule: verdict.rule,
        checked: verdict.checked,
        findings: verdict.findings,
        attestation: null,
        missing: verdict.findings.map((f) => `${f.systemId}${f.record === null ? '' : ` (${f.record})`}: ${f.problem}`),
      };
    }
    const a = attestations[e.controlId];
    const judged = attestationStatus(a, at);
    return { ...base, method: 'attestation', rule: null, checked: null, findings: [], attestation: a ?? null, ...judged };
  });
}

export function soaView(state: SoaState, verdicts: readonly RuleVerdict[], at: string): SoaView {
  const controls = state.inForce === null ? [] : controlStatuses(state.inForce, state.attestations, verdicts, at);
  const summary: Record<ControlStatus, number> = { operates: 0, does_not_operate: 0, manual: 0, not_applicable: 0 };
  for (const c of controls) summary[c.status] += 1;
  return {
    revisionId: state.inForce?.revisionId ?? null,
    version: state.inForce?.version ?? 0,
    approvedAt: state.inForce?.approvedAt ?? null,
    approvedBy: state.inForce?.approvedBy.id ?? null,
    at,
    controls,
    summary,
  };
}

/** The applicable controls that do not (or cannot be shown to) operate, each with what is missing. */
export function soaGaps(view: SoaView): ControlStatusRow[] {
  return view.controls.filter((c) => c.applicable && c.status !== 'operates');
}
