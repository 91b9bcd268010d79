import { ISO_42001_REFERENCES } from '../../../../domain/ai-system/events';
import {
  compareIds,
  evidenceCandidates,
  isEvidenceFor,
  iso42001Tags,
  referencesOfEvidence,
  tabledReferences,
} from '../../../../domain/iso-references';
import { LIFECYCLE_POLICY_ISO_42001_REFERENCES } from '../../../../domain/lifecycle-policy';
import { isAnnexAControlId, isClauseId } from '../../../../domain/catalogue';

describe('evidence tagged by clause and control', () => {
  test("a list of citations splits into clauses and controls, in the standard's order, each once", () => {
    expect(iso42001Tags(['A.6.2.4', '9.1', 'A.10.2', 'A.6.2.4', '10.2', '6.1.4'])).toEqual({
      clauses: ['6.1.4', '9.1', '10.2'],
      controls: ['A.6.2.4', 'A.10.2'],
    });
    expect(['10.2', '4.1', '6.1', '6.1.2', '6'].sort(compareIds)).toEqual(['4.1', '6', '6.1', '6.1.2', '10.2']);
  });

  test('an id that is neither a clause nor a control is a bug, never recorded', () => {
    expect(() => iso42001Tags(['A.99.1'])).toThrow(/A\.99\.1/);
    expect(() => iso42001Tags(['11.1'])).toThrow(/11\.1/);
  });

  test('the same event type reads by its process: a lifecycle task is not a policy task', () => {
    expect(tabledReferences('ai-system-credit', 'HumanTaskOpened')).toEqual(iso42001Tags(ISO_42001_REFERENCES.HumanTaskOpened));
    expect(tabledReferences('lifecycle-policy-organisation', 'HumanTaskOpened')).toEqual(
      iso42001Tags(LIFECYCLE_POLICY_ISO_42001_REFERENCES.HumanTaskOpened),
    );
    expect(tabledReferences('ai-system-credit', 'HumanTaskOpened')).not.toEqual(
      tabledReferences('lifecycle-policy-organisation', 'HumanTaskOpened'),
    );
    expect(tabledReferences('unknown-7', 'Whatever')).toEqual({ clauses: [], controls: [] });
  });

  test('tags in the metadata win over the table (what was true when it was recorded)', () => {
    const tagged = { stream: 'ai-system-a', type: 'ValidationSignedOff', metadata: { iso42001: { clauses: ['8.1'], controls: [] } } };
    expect(referencesOfEvidence(tagged)).toEqual({ clauses: ['8.1'], controls: [], from: 'metadata' });
    expect(isEvidenceFor(tagged, 'A.6.2.4')).toBe(false);
    const untagged = { stream: 'ai-system-a', type: 'ValidationSignedOff', metadata: { actor: { id: 'v', role: 'validator' } } };
    expect(referencesOfEvidence(untagged)).toEqual({ clauses: [], controls: ['A.6.2.4'], from: 'table' });
    expect(isEvidenceFor(untagged, 'A.6.2.4')).toBe(true);
    // a malformed tag is not trusted: the table answers
    expect(referencesOfEvidence({ ...untagged, metadata: { iso42001: { clauses: 'x' } } }).from).toBe('table');
  });

  test('a clause covers its sub-clauses; a control only itself', () => {
    const breach = { stream: 'ai-system-a', type: 'MonitoringThresholdBreached' };
    expect(isEvidenceFor(breach, '9.1')).toBe(true);
    expect(isEvidenceFor(breach, '9')).toBe(true);
    expect(isEvidenceFor(breach, '9.2')).toBe(false);
    expect(isEvidenceFor({ stream: 'ai-system-a', type: 'RiskTierConfirmed' }, '6.1')).toBe(true);
    expect(isEvidenceFor({ stream: 'ai-system-a', type: 'ValidationSignedOff' }, 'A.6.2')).toBe(false);
  });

  test('candidates narrow a scan to the processes and types that can cite the reference, and miss none', () => {
    const a624 = evidenceCandidates('A.6.2.4');
    expect(a624).toEqual({
      categories: ['ai-system'],
      types: ['AcceptanceCriteriaEvaluated', 'ValidationResultsRecorded', 'ValidationSignOffRefused', 'ValidationSignedOff'],
    });
    const c102 = evidenceCandidates('10.2');
    expect(c102?.categories).toEqual(['ai-system', 'internal-audit', 'nonconformity']);
    expect(c102?.types).toEqual(expect.arrayContaining(['NonconformityRaised', 'IncidentReported']));
    // a clause's candidates include its sub-clauses' events
    expect(evidenceCandidates('6.1')?.types).toEqual(expect.arrayContaining(['RiskTierConfirmed', 'LifecyclePolicyChangeProposed']));
    // only an attestation on the SoA can be evidence for A.10.4 (each one's metadata names its control)
    expect(evidenceCandidates('A.10.4')).toEqual({ categories: ['soa'], types: ['ControlStatusAttested'] });
    // the context of the organisation (4.1) is recorded only by its registers and the review tasks of their entries
    expect(evidenceCandidates('4.1')).toEqual({
      categories: ['aims-context'],
      types: [
        'ContextEntryRecorded',
        'ContextEntryRetired',
        'ContextEntryReviewed',
        'HumanTaskDecided',
        'HumanTaskEscalated',
        'HumanTaskOpened',
        'HumanTaskReminderSent',
        'HumanTaskSuperseded',
      ],
    });
  });

  test('every process table cites only ids of the catalogue', () => {
    for (const [type, refs] of Object.entries(LIFECYCLE_POLICY_ISO_42001_REFERENCES)) {
      expect({ type, unknown: refs.filter((r) => !isClauseId(r) && !isAnnexAControlId(r)) }).toEqual({ type, unknown: [] });
    }
  });
});
