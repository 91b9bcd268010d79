/**
 * The project's own catalogue of ISO/IEC 42001:2023 Annex A: the 38 control identifiers under the 9 control
 * topics, each with a short title in our own words (the standard's wording is ISO's copyright), so that a
 * record that cites a control (a nonconformity, a Statement of Applicability row) can be checked against
 * real identifiers.
 *
 * The EU AI Act column is an analytical alignment, not an official mapping (42001 is not a harmonised
 * standard); the NIST AI RMF column lists the functions from NIST's published crosswalk.
 */

export type NistAiRmfFunction = 'GOVERN' | 'MAP' | 'MEASURE' | 'MANAGE';

/** The 9 control topics. Each topic's `.1` is its objective statement; controls are numbered from `.2`. */
export const ANNEX_A_TOPICS = [
  { id: 'A.2', title: 'Policies that steer the use and development of AI' },
  { id: 'A.3', title: 'How the organisation is set up to govern AI' },
  { id: 'A.4', title: 'Resources that AI systems depend on' },
  { id: 'A.5', title: 'Assessing what AI systems do to people and society' },
  { id: 'A.6', title: 'The AI system life cycle' },
  { id: 'A.7', title: 'Data used by AI systems' },
  { id: 'A.8', title: 'Informing the parties who are affected by AI systems' },
  { id: 'A.9', title: 'Using AI systems responsibly' },
  { id: 'A.10', title: 'Relationships with suppliers, partners and customers' },
] as const;

/** A.6 is split into two groups, each with its own objective (A.6.1.1 and A.6.2.1). */
export const ANNEX_A_GROUPS = [
  { id: 'A.6.1', topicId: 'A.6', title: 'Direction given to AI system development' },
  { id: 'A.6.2', topicId: 'A.6', title: 'Stages of the AI system life cycle' },
] as const;

export type AnnexATopicId = (typeof ANNEX_A_TOPICS)[number]['id'];
export type AnnexAGroupId = (typeof ANNEX_A_GROUPS)[number]['id'];

export type AnnexAControl = {
  id: string;
  topicId: AnnexATopicId;
  /** Only for A.6 controls: the group (A.6.1 or A.6.2) the control belongs to. */
  groupId: AnnexAGroupId | null;
  /** Short title in our own words. */
  title: string;
  euAiActAlignment: string[];
  nistAiRmfFunctions: NistAiRmfFunction[];
};

const GV = 'GOVERN' as const;
const MP = 'MAP' as const;
const MS = 'MEASURE' as const;
const MG = 'MANAGE' as const;

// `satisfies` keeps the literal ids (for AnnexAControlId) while checking every row's shape.
const CONTROLS = [
  {
    id: 'A.2.2',
    topicId: 'A.2',
    groupId: null,
    title: 'A documented policy for AI',
    euAiActAlignment: ['Art.17'],
    nistAiRmfFunctions: [GV, MP],
  },
  {
    id: 'A.2.3',
    topicId: 'A.2',
    groupId: null,
    title: "AI policy kept consistent with the organisation's other policies",
    euAiActAlignment: ['Art.17'],
    nistAiRmfFunctions: [MS],
  },
  {
    id: 'A.2.4',
    topicId: 'A.2',
    groupId: null,
    title: 'The AI policy reviewed at planned intervals',
    euAiActAlignment: ['Art.17'],
    nistAiRmfFunctions: [GV],
  },
  {
    id: 'A.3.2',
    topicId: 'A.3',
    groupId: null,
    title: 'Roles for AI defined and assigned',
    euAiActAlignment: ['Art.17', 'Art.26(2)'],
    nistAiRmfFunctions: [GV, MS],
  },
  {
    id: 'A.3.3',
    topicId: 'A.3',
    groupId: null,
    title: 'A way for people to raise concerns about AI',
    euAiActAlignment: ['Art.87 (partial)'],
    nistAiRmfFunctions: [MG],
  },
  {
    id: 'A.4.2',
    topicId: 'A.4',
    groupId: null,
    title: 'Resources behind each AI system identified and recorded',
    euAiActAlignment: ['Art.11', 'Annex IV'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.4.3',
    topicId: 'A.4',
    groupId: null,
    title: 'Record of the data an AI system relies on',
    euAiActAlignment: ['Art.10'],
    nistAiRmfFunctions: [GV, MP],
  },
  {
    id: 'A.4.4',
    topicId: 'A.4',
    groupId: null,
    title: 'Record of the tools used to build and run AI',
    euAiActAlignment: ['Annex IV'],
    nistAiRmfFunctions: [GV, MP, MG],
  },
  {
    id: 'A.4.5',
    topicId: 'A.4',
    groupId: null,
    title: 'Record of computing and infrastructure resources',
    euAiActAlignment: ['Annex IV', 'Art.15'],
    nistAiRmfFunctions: [GV, MP, MS],
  },
  {
    id: 'A.4.6',
    topicId: 'A.4',
    groupId: null,
    title: 'People and competences behind AI systems',
    euAiActAlignment: ['Art.4', 'Art.14', 'Art.26(2)'],
    nistAiRmfFunctions: [GV, MP],
  },
  {
    id: 'A.5.2',
    topicId: 'A.5',
    groupId: null,
    title: 'A process for assessing the impacts of AI systems',
    euAiActAlignment: ['Art.9', 'Art.27'],
    nistAiRmfFunctions: [GV, MP, MS],
  },
  {
    id: 'A.5.3',
    topicId: 'A.5',
    groupId: null,
    title: 'Impact assessment results recorded and kept',
    euAiActAlignment: ['Art.27', 'Art.11'],
    nistAiRmfFunctions: [GV, MP, MG],
  },
  {
    id: 'A.5.4',
    topicId: 'A.5',
    groupId: null,
    title: 'Effects on individual people and groups assessed',
    euAiActAlignment: ['Art.9', 'Art.27'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.5.5',
    topicId: 'A.5',
    groupId: null,
    title: 'Effects on society assessed',
    euAiActAlignment: ['Art.9', 'Art.27'],
    nistAiRmfFunctions: [GV, MP, MS],
  },
  {
    id: 'A.6.1.2',
    topicId: 'A.6',
    groupId: 'A.6.1',
    title: 'Goals set for developing AI responsibly',
    euAiActAlignment: ['Art.9', 'Art.17'],
    nistAiRmfFunctions: [GV, MS, MG],
  },
  {
    id: 'A.6.1.3',
    topicId: 'A.6',
    groupId: 'A.6.1',
    title: 'Defined processes for responsible design and development',
    euAiActAlignment: ['Art.17', 'Art.14'],
    nistAiRmfFunctions: [GV, MP, MG],
  },
  {
    id: 'A.6.2.2',
    topicId: 'A.6',
    groupId: 'A.6.2',
    title: 'Requirements for an AI system specified',
    euAiActAlignment: ['Art.11', 'Annex IV', 'Art.14'],
    nistAiRmfFunctions: [MP],
  },
  {
    id: 'A.6.2.3',
    topicId: 'A.6',
    groupId: 'A.6.2',
    title: 'Design and development decisions recorded',
    euAiActAlignment: ['Art.11', 'Annex IV'],
    nistAiRmfFunctions: [MP, MS],
  },
  {
    id: 'A.6.2.4',
    topicId: 'A.6',
    groupId: 'A.6.2',
    title: 'AI systems verified and validated against criteria',
    euAiActAlignment: ['Art.15', 'Art.9'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.6.2.5',
    topicId: 'A.6',
    groupId: 'A.6.2',
    title: 'Releases into use planned and controlled',
    euAiActAlignment: ['Art.13', 'Art.26 (partial)'],
    nistAiRmfFunctions: [MS],
  },
  {
    id: 'A.6.2.6',
    topicId: 'A.6',
    groupId: 'A.6.2',
    title: 'AI systems run and watched in operation',
    euAiActAlignment: ['Art.72', 'Art.26(5)'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.6.2.7',
    topicId: 'A.6',
    groupId: 'A.6.2',
    title: 'Technical documentation kept for each AI system',
    euAiActAlignment: ['Art.11', 'Art.18', 'Annex IV'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.6.2.8',
    topicId: 'A.6',
    groupId: 'A.6.2',
    title: 'Events of AI systems logged',
    euAiActAlignment: ['Art.12', 'Art.19', 'Art.26(6)'],
    nistAiRmfFunctions: [MS],
  },
  {
    id: 'A.7.2',
    topicId: 'A.7',
    groupId: null,
    title: 'Managing data for building and improving AI',
    euAiActAlignment: ['Art.10(2)'],
    nistAiRmfFunctions: [MP, MS, MG],
  },
  {
    id: 'A.7.3',
    topicId: 'A.7',
    groupId: null,
    title: 'How data is obtained, recorded',
    euAiActAlignment: ['Art.10(2)'],
    nistAiRmfFunctions: [MP, MS],
  },
  {
    id: 'A.7.4',
    topicId: 'A.7',
    groupId: null,
    title: 'Data quality requirements defined and checked',
    euAiActAlignment: ['Art.10(3)'],
    nistAiRmfFunctions: [MP, MS],
  },
  {
    id: 'A.7.5',
    topicId: 'A.7',
    groupId: null,
    title: 'Where data came from and what happened to it',
    euAiActAlignment: ['Art.10(2)'],
    nistAiRmfFunctions: [MP, MS],
  },
  {
    id: 'A.7.6',
    topicId: 'A.7',
    groupId: null,
    title: 'How data is prepared for use',
    euAiActAlignment: ['Art.10(2)'],
    nistAiRmfFunctions: [MP],
  },
  {
    id: 'A.8.2',
    topicId: 'A.8',
    groupId: null,
    title: 'Documentation and information given to users',
    euAiActAlignment: ['Art.13'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.8.3',
    topicId: 'A.8',
    groupId: null,
    title: 'A channel for outside parties to report adverse effects',
    euAiActAlignment: ['Art.72', 'Art.73 (partial)'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.8.4',
    topicId: 'A.8',
    groupId: null,
    title: 'Incidents communicated to those who need to know',
    euAiActAlignment: ['Art.73', 'Art.26(5)'],
    nistAiRmfFunctions: [GV, MS],
  },
  {
    id: 'A.8.5',
    topicId: 'A.8',
    groupId: null,
    title: 'Obligations to inform interested parties met',
    euAiActAlignment: ['Art.13', 'Art.50', 'Art.73'],
    nistAiRmfFunctions: [GV, MG],
  },
  {
    id: 'A.9.2',
    topicId: 'A.9',
    groupId: null,
    title: 'Processes for using AI systems responsibly',
    euAiActAlignment: ['Art.26', 'Art.14'],
    nistAiRmfFunctions: [GV, MP, MG],
  },
  {
    id: 'A.9.3',
    topicId: 'A.9',
    groupId: null,
    title: 'Goals set for using AI responsibly',
    euAiActAlignment: ['Art.26'],
    nistAiRmfFunctions: [GV, MP, MS, MG],
  },
  {
    id: 'A.9.4',
    topicId: 'A.9',
    groupId: null,
    title: 'AI systems used only as intended',
    euAiActAlignment: ['Art.13', 'Art.26(1)'],
    nistAiRmfFunctions: [MP, MG],
  },
  {
    id: 'A.10.2',
    topicId: 'A.10',
    groupId: null,
    title: 'Responsibilities shared out with third parties',
    euAiActAlignment: ['Art.25'],
    nistAiRmfFunctions: [GV, MG],
  },
  {
    id: 'A.10.3',
    topicId: 'A.10',
    groupId: null,
    title: 'Suppliers of AI products and services managed',
    euAiActAlignment: ['Art.25(4)'],
    nistAiRmfFunctions: [GV, MP, MG],
  },
  {
    id: 'A.10.4',
    topicId: 'A.10',
    groupId: null,
    title: "Customers' needs and expectations taken into account",
    euAiActAlignment: ['Art.13', 'Art.26'],
    nistAiRmfFunctions: [GV, MG],
  },
] as const satisfies readonly {
  id: string;
  topicId: AnnexATopicId;
  groupId: AnnexAGroupId | null;
  title: string;
  euAiActAlignment: readonly string[];
  nistAiRmfFunctions: readonly NistAiRmfFunction[];
}[];

export type AnnexAControlId = (typeof CONTROLS)[number]['id'];

/** Every Annex A control, in the standard's order. Frozen copies: callers cannot change the catalogue. */
export const ANNEX_A_CONTROLS: readonly Readonly<AnnexAControl>[] = Object.freeze(
  CONTROLS.map((c) =>
    Object.freeze({
      id: c.id,
      topicId: c.topicId,
      groupId: c.groupId,
      title: c.title,
      euAiActAlignment: [...c.euAiActAlignment],
      nistAiRmfFunctions: [...c.nistAiRmfFunctions],
    }),
  ),
);

export const ANNEX_A_CONTROL_IDS: readonly AnnexAControlId[] = Object.freeze(CONTROLS.map((c) => c.id));

const BY_ID: ReadonlyMap<string, Readonly<AnnexAControl>> = new Map(ANNEX_A_CONTROLS.map((c) => [c.id, c]));

/** True when `id` is exactly an Annex A control id such as `A.6.2.6` (objective statements `.1` are not controls). */
export function isAnnexAControlId(id: string): id is AnnexAControlId {
  return BY_ID.has(id);
}

export function findAnnexAControl(id: string): Readonly<AnnexAControl> | undefined {
  return BY_ID.get(id);
}

/** The controls under a topic (`A.7`) or an A.6 group (`A.6.2`). */
export function annexAControlsUnder(topicOrGroupId: AnnexATopicId | AnnexAGroupId): Readonly<AnnexAControl>[] {
  return ANNEX_A_CONTROLS.filter((c) => c.topicId === topicOrGroupId || c.groupId === topicOrGroupId);
}
