/**
 * The project's own catalogue of the requirement clauses 4–10 of ISO/IEC 42001:2023: identifiers, short
 * titles in our own words (the standard's wording is ISO's copyright) and, in our words, the documented
 * information each clause asks the organisation to keep. Records that cite a clause (a nonconformity, an
 * audit finding) are checked against these ids.
 *
 * Headings (`6`, `6.1`, `9.2` …) are listed too, so a finding can cite a whole clause as well as one of its
 * subclauses.
 */

const CLAUSE_ROWS = [
  { id: '4', parentId: null, title: 'The organisation and its context', documentedInformation: [] },
  { id: '4.1', parentId: '4', title: "Internal and external issues that shape the organisation's AI work", documentedInformation: [] },
  { id: '4.2', parentId: '4', title: 'Who has a stake in the AI management system and what they need', documentedInformation: [] },
  { id: '4.3', parentId: '4', title: 'Boundaries of the AI management system', documentedInformation: ['the scope'] },
  { id: '4.4', parentId: '4', title: 'Setting up and running the AI management system', documentedInformation: [] },
  { id: '5', parentId: null, title: 'Leadership', documentedInformation: [] },
  { id: '5.1', parentId: '5', title: "Top management's commitment", documentedInformation: [] },
  { id: '5.2', parentId: '5', title: 'The AI policy', documentedInformation: ['the AI policy'] },
  { id: '5.3', parentId: '5', title: 'Who is responsible and who has authority', documentedInformation: [] },
  { id: '6', parentId: null, title: 'Planning', documentedInformation: [] },
  { id: '6.1', parentId: '6', title: 'Dealing with risks and opportunities', documentedInformation: [] },
  {
    id: '6.1.1',
    parentId: '6.1',
    title: 'Planning for AI risks and opportunities',
    documentedInformation: ['the actions planned for AI risks and opportunities'],
  },
  { id: '6.1.2', parentId: '6.1', title: 'Assessing AI risks', documentedInformation: ['how AI risks are assessed'] },
  {
    id: '6.1.3',
    parentId: '6.1',
    title: 'Treating AI risks',
    documentedInformation: [
      'how AI risks are treated',
      'the Statement of Applicability, with why each control is in or out',
      'the risk treatment plan',
    ],
  },
  {
    id: '6.1.4',
    parentId: '6.1',
    title: 'Assessing the impacts of AI systems',
    documentedInformation: ['how impacts are assessed', 'the impact assessment results'],
  },
  { id: '6.2', parentId: '6', title: 'AI objectives and how they will be reached', documentedInformation: ['the AI objectives'] },
  { id: '6.3', parentId: '6', title: 'Making changes in a planned way', documentedInformation: [] },
  { id: '7', parentId: null, title: 'Support', documentedInformation: [] },
  { id: '7.1', parentId: '7', title: 'Resources provided', documentedInformation: [] },
  { id: '7.2', parentId: '7', title: 'Competence of the people involved', documentedInformation: ['proof of competence'] },
  { id: '7.3', parentId: '7', title: 'People aware of the policy and their part in it', documentedInformation: [] },
  { id: '7.4', parentId: '7', title: 'Internal and external communication', documentedInformation: [] },
  { id: '7.5', parentId: '7', title: 'Documented information', documentedInformation: [] },
  { id: '7.5.1', parentId: '7.5', title: 'What must be documented', documentedInformation: [] },
  { id: '7.5.2', parentId: '7.5', title: 'Writing and revising documents', documentedInformation: [] },
  { id: '7.5.3', parentId: '7.5', title: 'Keeping documents under control', documentedInformation: [] },
  { id: '8', parentId: null, title: 'Operation', documentedInformation: [] },
  {
    id: '8.1',
    parentId: '8',
    title: 'Planning and controlling operations',
    documentedInformation: ['proof that processes ran as planned'],
  },
  { id: '8.2', parentId: '8', title: 'Running AI risk assessments', documentedInformation: ['the results of every risk assessment'] },
  { id: '8.3', parentId: '8', title: 'Carrying out AI risk treatment', documentedInformation: ['the results of risk treatment'] },
  {
    id: '8.4',
    parentId: '8',
    title: 'Running AI system impact assessments',
    documentedInformation: ['the results of every impact assessment'],
  },
  { id: '9', parentId: null, title: 'Performance evaluation', documentedInformation: [] },
  { id: '9.1', parentId: '9', title: 'Monitoring, measuring, analysing and evaluating', documentedInformation: ['the results'] },
  { id: '9.2', parentId: '9', title: 'Internal audit', documentedInformation: [] },
  { id: '9.2.1', parentId: '9.2', title: 'Auditing the system internally', documentedInformation: ['audit results'] },
  { id: '9.2.2', parentId: '9.2', title: 'The internal audit programme', documentedInformation: ['proof the programme was carried out'] },
  { id: '9.3', parentId: '9', title: 'Management review', documentedInformation: [] },
  { id: '9.3.1', parentId: '9.3', title: 'Top management reviewing the system', documentedInformation: [] },
  { id: '9.3.2', parentId: '9.3', title: 'What the management review considers', documentedInformation: [] },
  { id: '9.3.3', parentId: '9.3', title: 'What the management review decides', documentedInformation: ['the review results'] },
  { id: '10', parentId: null, title: 'Improvement', documentedInformation: [] },
  { id: '10.1', parentId: '10', title: 'Getting better continually', documentedInformation: [] },
  {
    id: '10.2',
    parentId: '10',
    title: 'Nonconformities and corrective action',
    documentedInformation: ['what the nonconformities were', 'the actions taken', 'the results of corrective actions'],
  },
] as const satisfies readonly { id: string; parentId: string | null; title: string; documentedInformation: readonly string[] }[];

export type ClauseId = (typeof CLAUSE_ROWS)[number]['id'];

export type Clause = {
  id: ClauseId;
  parentId: ClauseId | null;
  /** Short title in our own words. */
  title: string;
  /** The records the clause asks for, in our own words; empty when it asks for none of its own. */
  documentedInformation: string[];
};

/** Every clause and subclause from 4 to 10, in the standard's order. Frozen: callers cannot change it. */
export const CLAUSES: readonly Readonly<Clause>[] = Object.freeze(
  CLAUSE_ROWS.map((c) =>
    Object.freeze({ id: c.id, parentId: c.parentId, title: c.title, documentedInformation: [...c.documentedInformation] }),
  ),
);

export const CLAUSE_IDS: readonly ClauseId[] = Object.freeze(CLAUSE_ROWS.map((c) => c.id));

const BY_ID: ReadonlyMap<string, Readonly<Clause>> = new Map(CLAUSES.map((c) => [c.id, c]));

/** True when `id` is exactly a clause id of 4–10 such as `10.2` or `9.2.1`. */
export function isClauseId(id: string): id is ClauseId {
  return BY_ID.has(id);
}

export function findClause(id: string): Readonly<Clause> | undefined {
  return BY_ID.get(id);
}

/** The clause itself and every heading above it, nearest first: `9.2.1` → 9.2.1, 9.2, 9. */
export function clauseAncestry(id: ClauseId): Readonly<Clause>[] {
  const chain: Readonly<Clause>[] = [];
  let current = BY_ID.get(id);
  while (current) {
    chain.push(current);
    current = current.parentId === null ? undefined : BY_ID.get(current.parentId);
  }
  return chain;
}
