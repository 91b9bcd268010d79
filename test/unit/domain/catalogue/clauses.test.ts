import { CLAUSES, CLAUSE_IDS, clauseAncestry, findClause, isClauseId } from '../../../../domain/catalogue';

describe('clause catalogue', () => {
  it('given the catalogue, when listed, then it covers the headings 4–10 and every subclause of the reference', () => {
    expect(CLAUSES.filter((c) => c.parentId === null).map((c) => c.id)).toEqual(['4', '5', '6', '7', '8', '9', '10']);
    for (const id of [
      '4.1',
      '4.2',
      '4.3',
      '4.4',
      '5.1',
      '5.2',
      '5.3',
      '6.1.1',
      '6.1.2',
      '6.1.3',
      '6.1.4',
      '6.2',
      '6.3',
      '7.1',
      '7.2',
      '7.3',
      '7.4',
      '7.5.1',
      '7.5.2',
      '7.5.3',
      '8.1',
      '8.2',
      '8.3',
      '8.4',
      '9.1',
      '9.2.1',
      '9.2.2',
      '9.3.1',
      '9.3.2',
      '9.3.3',
      '10.1',
      '10.2',
    ]) {
      expect(isClauseId(id)).toBe(true);
    }
    expect(new Set(CLAUSE_IDS).size).toBe(CLAUSE_IDS.length);
  });

  it('given every clause, when its parent is looked up, then the parent exists and prefixes its id', () => {
    for (const clause of CLAUSES) {
      if (clause.parentId === null) continue;
      expect(isClauseId(clause.parentId)).toBe(true);
      expect(clause.id.startsWith(`${clause.parentId}.`)).toBe(true);
    }
  });

  it('given 10.2, when looked up, then it asks for records of the nonconformities, actions and results', () => {
    expect(findClause('10.2')?.documentedInformation).toHaveLength(3);
    expect(findClause('6.1.3')?.documentedInformation.length).toBe(3);
  });

  it('given a subclause, when its ancestry is asked, then it runs up to its heading', () => {
    expect(clauseAncestry('9.2.1').map((c) => c.id)).toEqual(['9.2.1', '9.2', '9']);
  });

  it('given ids that are not clauses of 4–10, when checked, then they fail', () => {
    for (const id of ['3', '11', '10.3', '6.1.5', '7.5.4', 'A.6.2.6', '10.2 ', '']) expect(isClauseId(id)).toBe(false);
  });
});
