import {
  ANNEX_A_CONTROLS,
  ANNEX_A_CONTROL_IDS,
  ANNEX_A_GROUPS,
  ANNEX_A_TOPICS,
  annexAControlsUnder,
  findAnnexAControl,
  isAnnexAControlId,
} from '../../../../domain/catalogue';

describe('Annex A control catalogue', () => {
  it('given the catalogue, when counted, then it holds 38 distinct controls under 9 topics', () => {
    expect(ANNEX_A_CONTROLS).toHaveLength(38);
    expect(new Set(ANNEX_A_CONTROL_IDS).size).toBe(38);
    expect(ANNEX_A_TOPICS.map((t) => t.id)).toEqual(['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10']);
    expect(ANNEX_A_GROUPS.map((g) => g.id)).toEqual(['A.6.1', 'A.6.2']);
  });

  it('given each topic, when its controls are listed, then the counts match the standard and numbering starts at .2', () => {
    const counts = Object.fromEntries(ANNEX_A_TOPICS.map((t) => [t.id, annexAControlsUnder(t.id).length]));
    expect(counts).toEqual({ 'A.2': 3, 'A.3': 2, 'A.4': 5, 'A.5': 4, 'A.6': 9, 'A.7': 5, 'A.8': 4, 'A.9': 3, 'A.10': 3 });
    expect(annexAControlsUnder('A.6.1').map((c) => c.id)).toEqual(['A.6.1.2', 'A.6.1.3']);
    expect(annexAControlsUnder('A.6.2').map((c) => c.id)).toEqual([
      'A.6.2.2',
      'A.6.2.3',
      'A.6.2.4',
      'A.6.2.5',
      'A.6.2.6',
      'A.6.2.7',
      'A.6.2.8',
    ]);
    for (const control of ANNEX_A_CONTROLS) {
      expect(control.id.startsWith(`${control.groupId ?? control.topicId}.`)).toBe(true);
      expect(control.id.endsWith('.1')).toBe(false);
    }
  });

  it('given every control, when inspected, then it has a short title and at least one NIST AI RMF function and EU AI Act alignment', () => {
    for (const control of ANNEX_A_CONTROLS) {
      expect(control.title.length).toBeGreaterThan(5);
      expect(control.title.length).toBeLessThanOrEqual(80);
      expect(control.nistAiRmfFunctions.length).toBeGreaterThan(0);
      expect(control.euAiActAlignment.length).toBeGreaterThan(0);
    }
    expect(findAnnexAControl('A.8.4')).toMatchObject({ topicId: 'A.8', nistAiRmfFunctions: ['GOVERN', 'MEASURE'] });
  });

  it('given candidate ids, when checked, then only exact control ids pass', () => {
    expect(isAnnexAControlId('A.6.2.6')).toBe(true);
    expect(isAnnexAControlId('A.10.4')).toBe(true);
    for (const id of ['A.2.1', 'A.6.2', 'A.6.2.9', 'A.11.2', 'a.6.2.6', ' A.6.2.6', 'B.6.2.6', ''])
      expect(isAnnexAControlId(id)).toBe(false);
    expect(findAnnexAControl('A.6.2.9')).toBeUndefined();
  });

  it('given the catalogue, when a caller tries to change it, then it cannot', () => {
    expect(Object.isFrozen(ANNEX_A_CONTROLS)).toBe(true);
    expect(Object.isFrozen(ANNEX_A_CONTROLS[0])).toBe(true);
  });
});
