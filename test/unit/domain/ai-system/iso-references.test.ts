import { isAnnexAControlId, isClauseId } from '../../../../domain/catalogue';
import { ISO_42001_REFERENCES } from '../../../../domain/ai-system';

describe('ISO/IEC 42001 references of lifecycle events', () => {
  test('every event type cites at least one clause or control, and every citation exists in the catalogue', () => {
    for (const [type, refs] of Object.entries(ISO_42001_REFERENCES)) {
      expect(refs.length).toBeGreaterThan(0);
      const unknown = refs.filter((r) => !isClauseId(r) && !isAnnexAControlId(r));
      expect({ type, unknown }).toEqual({ type, unknown: [] });
    }
  });

  test('the gates cite the clauses the issue names: 6.1.4/8.4 and A.5 for impact assessment, A.6.2.4 for validation, A.7.4 for data quality', () => {
    expect(ISO_42001_REFERENCES.ImpactAssessmentApproved).toEqual(expect.arrayContaining(['6.1.4', '8.4', 'A.5.2']));
    expect(ISO_42001_REFERENCES.ValidationSignedOff).toContain('A.6.2.4');
    expect(ISO_42001_REFERENCES.DataQualityCheckRecorded).toContain('A.7.4');
    expect(ISO_42001_REFERENCES.MonitoringThresholdBreached).toContain('9.1');
  });
});
