/** Which controls a risk treatment asks the Statement of Applicability to revise (domain/soa/risk-treatment-request.ts). */
import { INITIAL_SOA_STATE, revisionCauseOfTreatment, type SoaEntry, type SoaState } from '../../../../domain/soa';
import type { RiskTreatmentControlsChange } from '../../../../domain/shared/risk-links';

const entry = (controlId: string, applicable: boolean): SoaEntry => ({
  controlId,
  title: null,
  applicable,
  justification: { text: 't', riskIds: [], obligations: [], scope: null },
  owner: 'amara',
  implementation: 'x',
});
const inForce = (entries: SoaEntry[]): SoaState => ({
  ...INITIAL_SOA_STATE,
  version: 1,
  inForce: {
    revisionId: 'soa-revision-1',
    version: 1,
    approvedAt: '2026-12-01T00:00:00.000Z',
    approvedBy: { id: 'tara', role: 'top_management' },
    entries,
  },
});
const change = (controls: string[], previousControls: string[] = []): RiskTreatmentControlsChange => ({
  riskId: 'R-1',
  controls,
  previousControls,
  plannedBy: { id: 'rita', role: 'risk_owner' },
  causeEventId: 'e-1',
  at: '2026-12-05T00:00:00.000Z',
});

describe('a risk treatment asks for an SoA revision', () => {
  const soa = inForce([entry('A.6.2.4', true), entry('A.10.4', false), entry('ORG-1', true)]);

  it('given the SoA in force holds every control of the plan as applicable, then nothing is asked', () => {
    expect(revisionCauseOfTreatment(soa, change(['A.6.2.4', 'ORG-1']))).toBeNull();
  });

  it('given a control the SoA excludes or lacks, then it is asked as added, each once and in order', () => {
    expect(revisionCauseOfTreatment(soa, change(['A.6.2.4', 'ORG-new', 'A.10.4', 'A.10.4']))).toEqual({
      kind: 'risk_treatment',
      riskId: 'R-1',
      controlsAdded: ['A.10.4', 'ORG-new'],
      controlsDropped: [],
    });
  });

  it('given the previous plan named an applicable control this one drops, then it is asked as dropped; one already excluded is not', () => {
    expect(revisionCauseOfTreatment(soa, change(['A.6.2.4'], ['A.6.2.4', 'ORG-1', 'A.10.4']))).toEqual({
      kind: 'risk_treatment',
      riskId: 'R-1',
      controlsAdded: [],
      controlsDropped: ['ORG-1'],
    });
  });

  it('given no SoA in force yet, then every control of the plan is asked as added; names that are no control id are ignored', () => {
    expect(revisionCauseOfTreatment(INITIAL_SOA_STATE, change(['A.6.2.4', 'fairness gate']))).toEqual({
      kind: 'risk_treatment',
      riskId: 'R-1',
      controlsAdded: ['A.6.2.4'],
      controlsDropped: [],
    });
  });
});
