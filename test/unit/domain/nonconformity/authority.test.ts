/**
 * Who may act on a nonconformity, as `decide` alone applies it (domain/nonconformity/authority.ts): the
 * roles per command, the owner of a corrective action, the escalation's recipient, the independence of the
 * effectiveness review, and the roles that never act. Refusals keep the codes, messages and details the
 * API has always answered with.
 */
import {
  CORRECTIVE_ACTION_ROLES,
  NONCONFORMITY_COMMAND_ROLES,
  openTasksOf,
  type NonconformityCommand,
  type NonconformityEvent,
} from '../../../../domain/nonconformity';
import { AIMS_ROLES, type Actor } from '../../../../domain/shared/roles';
import {
  NC,
  aimsOwner,
  analyse,
  approve,
  approvedPlanHistory,
  auditor,
  complete,
  contain,
  day,
  engineer,
  given,
  history,
  plan,
  raise,
  recorded,
  reject,
  review,
  riskOwner,
} from './nonconformity-fixtures';

const rita: Actor = { id: 'rita', roles: ['risk_owner', 'aims_owner'] };
const vic: Actor = { id: 'vic', roles: ['validator'] };
const admin: Actor = { id: 'adam', roles: ['admin'] };

const overdue = (): NonconformityEvent[] =>
  history(raise(), contain(), analyse(), plan(), approve(), {
    type: 'MarkCorrectiveActionOverdue',
    nonconformityId: NC,
    at: day(10),
    actionId: 'act-retrain',
  });
const escalated = (): NonconformityEvent[] =>
  history(
    raise(),
    contain(),
    analyse(),
    plan(),
    approve(),
    { type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(10), actionId: 'act-retrain' },
    { type: 'EscalateCorrectiveAction', nonconformityId: NC, at: day(11), actionId: 'act-retrain', escalatedTo: 'aims_owner' },
  );
const allDone = (): NonconformityEvent[] =>
  history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(5)), complete('act-drift-alert', day(6)));

describe('roles per command', () => {
  it('given a raised nonconformity, when someone without a containment role records containment, then MISSING_ROLE naming the roles', () => {
    const error = given(history(raise()))
      .when(contain({ by: vic }))
      .thenError('MISSING_ROLE');
    expect(error.message).toBe('vic cannot record containment: it needs one of the roles aims_owner, risk_owner, engineer');
    expect(error.details).toEqual({
      update: 'recordContainment',
      actorId: 'vic',
      actorRoles: ['validator'],
      requiredRoles: ['aims_owner', 'risk_owner', 'engineer'],
    });
  });

  it('given a submitted plan, when an engineer approves or rejects it, then MISSING_ROLE', () => {
    const submitted = history(raise(), contain(), analyse(), plan());
    const olga: Actor = { id: 'olga', roles: ['engineer'] };
    expect(
      given(submitted)
        .when(approve({ by: olga }))
        .thenError('MISSING_ROLE').message,
    ).toBe('olga cannot approve a corrective action plan: it needs one of the roles aims_owner, risk_owner');
    expect(
      given(submitted)
        .when(reject({ by: olga }))
        .thenError('MISSING_ROLE').details.update,
    ).toBe('rejectCorrectiveActionPlan');
  });

  it("given someone holding several roles, when they act, then the first role of the command's row they hold is recorded", () => {
    expect(
      given(history(raise()))
        .when(contain({ by: rita }))
        .thenEvents()[0],
    ).toMatchObject({ recordedBy: { id: 'rita', role: 'aims_owner' } });
    expect(
      given(history(raise(), contain()))
        .when(analyse({ by: rita }))
        .thenEvents()[0],
    ).toMatchObject({ author: { id: 'rita', role: 'risk_owner' } });
  });

  it('given someone whose actor is unusable, when they act, then INVALID_ACTOR naming the step', () => {
    const raised = history(raise());
    const noRoles = given(raised)
      .when(contain({ by: { id: 'x', roles: [] } }))
      .thenError('INVALID_ACTOR');
    expect(noRoles).toMatchObject({ message: 'actor x holds no AIMS role', details: { update: 'recordContainment' } });
    const unknownRole = given(raised)
      .when(contain({ by: { id: 'x', roles: ['operator'] } as unknown as Actor }))
      .thenError('INVALID_ACTOR');
    expect(unknownRole.message).toBe('actor x has unknown roles: operator');
    const missing = { ...contain() } as Partial<NonconformityCommand>;
    delete (missing as { by?: unknown }).by;
    expect(
      given(raised)
        .when(missing as NonconformityCommand)
        .thenError('INVALID_ACTOR').message,
    ).toBe('an actor needs a non-empty id');
  });

  it('given a person without the role, when their command is also malformed or premature, then they learn first that they may not act', () => {
    expect(
      given([])
        .when(contain({ by: vic }))
        .thenError('MISSING_ROLE').details.actorId,
    ).toBe('vic');
    given(history(raise()))
      .when(contain({ by: vic, actions: [] }))
      .thenError('MISSING_ROLE');
    given(history(raise()))
      .when(approve({ by: vic }))
      .thenError('MISSING_ROLE');
  });
});

describe('raising', () => {
  it('given nothing, when a person raises, then the first raising role they hold is recorded', () => {
    expect(
      given([])
        .when(raise({ openedBy: undefined, by: vic }))
        .thenEvents()[0],
    ).toMatchObject({ raisedBy: { id: 'vic', role: 'validator' } });
    const both: Actor = { id: 'eve', roles: ['engineer', 'risk_owner'] };
    expect(
      given([])
        .when(raise({ openedBy: undefined, by: both }))
        .thenEvents()[0],
    ).toMatchObject({ raisedBy: { id: 'eve', role: 'risk_owner' } });
  });

  it('given nothing, when a pipeline or an auditor raises in person, then MISSING_ROLE', () => {
    const error = given([])
      .when(raise({ openedBy: undefined, by: { id: 'ci-1', roles: ['ci'] } }))
      .thenError('MISSING_ROLE');
    expect(error.message).toBe('ci-1 cannot raise a nonconformity: it needs one of the roles aims_owner, risk_owner, engineer, validator');
    expect(error.details.update).toBe('raiseNonconformity');
    given([])
      .when(raise({ openedBy: undefined, by: auditor }))
      .thenError('MISSING_ROLE');
  });

  it('given nothing, when another process opened it, then its actor is recorded as given, role and all', () => {
    const lifecycle = { id: 'aims:lifecycle', role: 'system' } as const;
    expect(
      given([])
        .when(raise({ openedBy: lifecycle }))
        .thenEvents()[0],
    ).toMatchObject({ raisedBy: lifecycle });
  });

  it('given nothing, when a raise names both a person and an opener, or neither, then it is refused', () => {
    const error = given([])
      .when(raise({ by: riskOwner }))
      .thenError('VALIDATION_FAILED');
    expect(error.details.issues).toEqual([{ field: 'openedBy', problem: 'must not be given together with by' }]);
    given([])
      .when(raise({ openedBy: undefined }))
      .thenError('INVALID_ACTOR');
  });
});

describe('completing a corrective action', () => {
  it('given an open action, when someone other than its owner completes it, then NOT_ACTION_OWNER, even for the AIMS owner', () => {
    const error = given(approvedPlanHistory())
      .when(complete('act-retrain', day(5), { by: aimsOwner }))
      .thenError('NOT_ACTION_OWNER');
    expect(error.message).toBe("ana cannot complete corrective action act-retrain: it is erin's");
    expect(error.details).toEqual({ actionId: 'act-retrain', owner: 'erin', actorId: 'ana', escalated: false });
    given(approvedPlanHistory())
      .when(complete('act-drift-alert', day(5), { by: engineer }))
      .thenError('NOT_ACTION_OWNER');
  });

  it('given an open action, when its owner completes it, then under their first role that acts', () => {
    const erinAuditingToo: Actor = { id: 'erin', roles: ['auditor', 'validator'] };
    const [event] = given(approvedPlanHistory())
      .when(complete('act-retrain', day(5), { by: erinAuditingToo }))
      .thenEvents();
    expect(event).toMatchObject({ type: 'CorrectiveActionCompleted', completedBy: { id: 'erin', role: 'validator' } });
  });

  it('given an open action, when its owner holds only roles that never act, then MISSING_ROLE', () => {
    const error = given(approvedPlanHistory())
      .when(complete('act-retrain', day(5), { by: { id: 'erin', roles: ['auditor', 'admin'] } }))
      .thenError('MISSING_ROLE');
    expect(error.message).toBe('erin holds only roles that take no corrective-action step (auditor, admin)');
    expect(error.details).toEqual({
      update: 'completeCorrectiveAction',
      actorId: 'erin',
      actorRoles: ['auditor', 'admin'],
      requiredRoles: ['top_management', 'aims_owner', 'risk_owner', 'approver', 'validator', 'engineer', 'ci'],
    });
  });

  it('given an unknown action, when someone who may act completes it, then the domain says it is unknown; an auditor is refused first', () => {
    given(approvedPlanHistory())
      .when(complete('act-unknown', day(5), { by: aimsOwner }))
      .thenError('UNKNOWN_CORRECTIVE_ACTION');
    given(approvedPlanHistory())
      .when(complete('act-unknown', day(5), { by: auditor }))
      .thenError('MISSING_ROLE');
  });

  it('given an escalated action, when the AIMS owner completes it, then it is recorded under aims_owner', () => {
    const [event] = given(escalated())
      .when(complete('act-retrain', day(12), { by: rita }))
      .thenEvents();
    expect(event).toMatchObject({
      type: 'CorrectiveActionCompleted',
      actionId: 'act-retrain',
      completedBy: { id: 'rita', role: 'aims_owner' },
    });
  });

  it('given an escalated action, when a non-owner without the AIMS-owner role completes it, then NOT_ACTION_OWNER says who else may', () => {
    const error = given(escalated())
      .when(complete('act-retrain', day(12), { by: riskOwner }))
      .thenError('NOT_ACTION_OWNER');
    expect(error.message).toBe(
      "rolf cannot complete corrective action act-retrain: it is erin's (or, as it was escalated, an aims_owner's)",
    );
    expect(error.details.escalated).toBe(true);
  });

  it('given an overdue action not yet escalated, when the AIMS owner completes it, then NOT_ACTION_OWNER', () => {
    given(overdue())
      .when(complete('act-retrain', day(10.5), { by: aimsOwner }))
      .thenError('NOT_ACTION_OWNER');
  });
});

describe('effectiveness review (independence)', () => {
  it("given the review is due, when the plan's author reviews it under a reviewing role, then REVIEWER_NOT_INDEPENDENT", () => {
    const error = given(allDone())
      .when(review('effective', day(36), { by: { id: 'erin', roles: ['engineer', 'validator'] } }))
      .thenError('REVIEWER_NOT_INDEPENDENT');
    expect(error.message).toBe('erin wrote the corrective action plan and so cannot judge whether it worked');
    expect(error.details).toEqual({ actorId: 'erin', planAuthorId: 'erin', conflict: 'plan_author', actionIds: [] });
  });

  it("given the review is due, when the plan's author lacks a reviewing role, then MISSING_ROLE comes first", () => {
    given(allDone())
      .when(review('effective', day(36), { by: engineer }))
      .thenError('MISSING_ROLE');
  });

  it('given the review is due, when an independent validator reviews, then it is recorded under validator', () => {
    const [recordedReview] = given(allDone())
      .when(review('effective', day(36), { by: vic }))
      .thenEvents();
    expect(recordedReview).toMatchObject({ reviewedBy: { id: 'vic', role: 'validator' } });
  });
});

describe('read-only roles', () => {
  const steps: [string, NonconformityEvent[], (by: Actor) => NonconformityCommand][] = [
    ['raise', [], (by) => raise({ openedBy: undefined, by })],
    ['contain', history(raise()), (by) => contain({ by })],
    ['analyse', history(raise(), contain()), (by) => analyse({ by })],
    ['plan', history(raise(), contain(), analyse()), (by) => plan({ by })],
    ['approve', history(raise(), contain(), analyse(), plan()), (by) => approve({ by })],
    ['reject', history(raise(), contain(), analyse(), plan()), (by) => reject({ by })],
    ['complete', approvedPlanHistory(), (by) => complete('act-retrain', day(5), { by: { ...by, id: 'erin' } })],
    ['review', allDone(), (by) => review('effective', day(36), { by })],
  ];

  it.each(steps)('given the step "%s" is open, when an auditor or an admin takes it, then MISSING_ROLE', (_name, events, command) => {
    for (const person of [auditor, admin, { id: 'both', roles: ['auditor', 'admin'] } as Actor]) {
      given(events).when(command(person)).thenError('MISSING_ROLE');
    }
  });

  it('given the role table, then no row grants auditor or admin, and raising is open to whoever takes any step, in that order', () => {
    for (const roles of Object.values(NONCONFORMITY_COMMAND_ROLES)) {
      expect(roles).not.toContain('auditor');
      expect(roles).not.toContain('admin');
      expect(roles).not.toContain('internal_auditor');
    }
    const { RaiseNonconformity: raisers, ...steps } = NONCONFORMITY_COMMAND_ROLES;
    expect(raisers).toEqual([...new Set(Object.values(steps).flat())]);
    expect(CORRECTIVE_ACTION_ROLES).toEqual(AIMS_ROLES.filter((r) => r !== 'auditor' && r !== 'internal_auditor' && r !== 'admin'));
  });
});

describe('open tasks', () => {
  it('given each phase, then the open tasks name the steps that answer them, the roles that may take them and who may not', () => {
    expect(openTasksOf(null)).toEqual([]);
    expect(openTasksOf(given(history(raise())).state)).toEqual([
      {
        step: 'containment',
        updates: ['recordContainment'],
        roles: ['aims_owner', 'risk_owner', 'engineer'],
        assignee: null,
        excludedActorIds: [],
      },
    ]);
    expect(openTasksOf(given(history(raise(), contain(), analyse())).state)).toEqual([
      {
        step: 'corrective_action_plan',
        round: 1,
        updates: ['submitCorrectiveActionPlan', 'submitRootCauseAnalysis'],
        roles: ['risk_owner', 'aims_owner', 'engineer'],
        assignee: null,
        excludedActorIds: [],
      },
    ]);
    expect(openTasksOf(given(history(raise(), contain(), analyse(), plan())).state)).toEqual([
      {
        step: 'plan_decision',
        round: 1,
        planId: 'plan-1',
        planAuthor: recorded(engineer),
        updates: ['approveCorrectiveActionPlan', 'rejectCorrectiveActionPlan'],
        roles: ['aims_owner', 'risk_owner'],
        assignee: null,
        excludedActorIds: ['erin'],
      },
    ]);
    expect(openTasksOf(given(allDone()).state)).toEqual([
      expect.objectContaining({
        step: 'effectiveness_review',
        updates: ['recordEffectivenessReview'],
        roles: ['aims_owner', 'risk_owner', 'validator'],
        excludedActorIds: ['erin'],
      }),
    ]);
  });

  it('given corrective actions, then each is assigned to its owner, and an escalated one may also be taken by the AIMS owner', () => {
    expect(openTasksOf(given(approvedPlanHistory()).state).map((t) => [t.updates, t.assignee, t.roles])).toEqual([
      [['completeCorrectiveAction'], 'erin', []],
      [['completeCorrectiveAction'], 'omar', []],
    ]);
    expect(openTasksOf(given(escalated()).state).map((t) => [t.assignee, t.roles])).toEqual([
      ['erin', ['aims_owner']],
      ['omar', []],
    ]);
  });
});
