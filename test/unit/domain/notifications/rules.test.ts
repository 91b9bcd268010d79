import { NOTIFIABLE_EVENT_TYPES, notificationsFor, renderNotification, type SourceEvent } from '../../../../domain/notifications';
import type { JsonObject } from '../../../../domain/shared/json';

function event(type: string, stream: string, data: JsonObject): SourceEvent {
  return { id: '0b8f2f4e-0000-4000-8000-000000000001', stream, position: 7, type, recordedAt: '2026-12-05T09:00:00.000Z', data };
}

const opened = event('HumanTaskOpened', 'ai-system-credit-scoring', {
  taskId: 'task-3',
  kind: 'deployment_approval',
  requiredRoles: ['approver'],
  subject: { type: 'deployment', requestId: 'r1', modelVersion: '1.2.0', artifactDigest: 'sha256:ab', environment: 'prod' },
  requestedBy: 'carol',
  dueAt: '2026-12-08T09:00:00.000Z',
  by: { id: 'carol', role: 'engineer' },
  at: '2026-12-05T09:00:00.000Z',
});

describe('notification rules', () => {
  it('given a task opened for approvers, when ruled, then approvers are told with the system, task and due date', () => {
    expect(notificationsFor(opened)).toEqual([
      {
        kind: 'task_opened',
        audience: { roles: ['approver'], people: [] },
        facts: expect.objectContaining({
          systemId: 'credit-scoring',
          taskId: 'task-3',
          taskKind: 'deployment_approval',
          dueAt: '2026-12-08T09:00:00.000Z',
        }),
      },
    ]);
  });

  it('given a context entry falling due for review, when its task opens and is reminded, then its owner alone is told; escalated, the AIMS owner', () => {
    const base = { taskId: 'context-review-1-obligation-1', kind: 'context_entry_review', dueAt: '2027-01-31T00:00:00.000Z' };
    const contextOpened = event('HumanTaskOpened', 'aims-context-organisation', {
      ...base,
      requiredRoles: ['aims_owner', 'top_management', 'risk_owner'],
      assignee: 'rita',
      subject: { type: 'context_entry', entryId: 'obligation-1', register: 'obligation', version: 1, reviewBy: '2027-01-31' },
      requestedBy: null,
    });
    expect(notificationsFor(contextOpened)).toEqual([
      expect.objectContaining({
        kind: 'task_opened',
        audience: { roles: [], people: ['rita'] },
        facts: expect.objectContaining({ systemId: null }),
      }),
    ]);
    const reminded = event('HumanTaskReminderSent', 'aims-context-organisation', { ...base, notifiedRoles: [], notifiedPeople: ['rita'] });
    expect(notificationsFor(reminded)).toEqual([expect.objectContaining({ kind: 'task_due', audience: { roles: [], people: ['rita'] } })]);
    const escalated = event('HumanTaskEscalated', 'aims-context-organisation', { ...base, escalatedTo: 'aims_owner' });
    expect(notificationsFor(escalated)).toEqual([
      expect.objectContaining({ kind: 'task_escalated', audience: { roles: ['aims_owner'], people: [] } }),
    ]);
  });

  it('given a policy task in the organisation stream, when ruled, then it is a task with no system', () => {
    const policyTask = event('HumanTaskOpened', 'lifecycle-policy-organisation', {
      taskId: 'p-1',
      kind: 'lifecycle_policy_change_approval',
      requiredRoles: ['top_management', 'aims_owner'],
      dueAt: '2026-12-09T00:00:00.000Z',
    });
    const [intent] = notificationsFor(policyTask);
    expect(intent?.audience.roles).toEqual(['top_management', 'aims_owner']);
    expect(intent?.facts.systemId).toBeNull();
  });

  it('given reminders and escalations of tasks, when ruled, then the notified roles and the escalation role are told', () => {
    expect(
      notificationsFor(event('HumanTaskReminderSent', 'ai-system-s', { taskId: 't', dueAt: 'd', notifiedRoles: ['validator'] }))[0],
    ).toMatchObject({ kind: 'task_due', audience: { roles: ['validator'] } });
    expect(notificationsFor(event('HumanTaskEscalated', 'ai-system-s', { taskId: 't', escalatedTo: 'aims_owner' }))[0]).toMatchObject({
      kind: 'task_escalated',
      audience: { roles: ['aims_owner'], people: [] },
    });
  });

  it("given a management review's and an internal audit's follow-up tasks, when ruled, then top management and the audit team are told", () => {
    expect(
      notificationsFor(
        event('HumanTaskReminderSent', 'management-review-MR-1', {
          taskId: 'MR-1.sign-off',
          kind: 'management_review_sign_off',
          dueAt: 'd',
          notifiedRoles: ['top_management'],
          notifiedPeople: [],
        }),
      )[0],
    ).toMatchObject({
      kind: 'task_due',
      audience: { roles: ['top_management'], people: [] },
      facts: { taskId: 'MR-1.sign-off', systemId: null },
    });
    expect(
      notificationsFor(
        event('HumanTaskReminderSent', 'internal-audit-IA-1', {
          taskId: 'IA-1-follow-up',
          dueAt: 'd',
          notifiedRoles: [],
          notifiedPeople: ['ines', 'ivan'],
          pending: ['IA-1-F1'],
        }),
      )[0],
    ).toMatchObject({ kind: 'task_due', audience: { roles: [], people: ['ines', 'ivan'] } });
  });

  it('given nonconformities, when ruled, then only a breach or an incident tells the AIMS and risk owners', () => {
    const raised = (source: string): SourceEvent =>
      event('NonconformityRaised', 'nonconformity-aims:nc-1', {
        nonconformityId: 'aims:nc-1',
        source,
        severity: 'major',
        title: 'AUC below floor',
        aiSystemIds: ['s1'],
      });
    expect(notificationsFor(raised('monitoring_breach'))).toEqual([
      {
        kind: 'nonconformity_raised',
        audience: { roles: ['aims_owner', 'risk_owner'], people: [] },
        facts: expect.objectContaining({ nonconformityId: 'aims:nc-1', systemId: 's1', severity: 'major' }),
      },
    ]);
    expect(notificationsFor(raised('incident'))).toHaveLength(1);
    expect(notificationsFor(raised('internal_audit_finding'))).toEqual([]);
  });

  it('given corrective-action follow-ups, when ruled, then the owner (a person) or the escalation role is told', () => {
    const ref = { nonconformityId: 'nc-1', round: 1, planId: 'p', actionId: 'a1', owner: 'dave', dueDate: '2026-12-20' };
    expect(notificationsFor(event('CorrectiveActionReminderIssued', 'nonconformity-nc-1', { ...ref, reminderNumber: 1 }))[0]).toMatchObject(
      { kind: 'corrective_action_due', audience: { roles: [], people: ['dave'] } },
    );
    expect(notificationsFor(event('CorrectiveActionOverdue', 'nonconformity-nc-1', ref))[0]).toMatchObject({
      kind: 'corrective_action_overdue',
      audience: { people: ['dave'] },
    });
    expect(
      notificationsFor(event('CorrectiveActionEscalated', 'nonconformity-nc-1', { ...ref, escalatedTo: 'aims_owner', level: 1 }))[0],
    ).toMatchObject({ kind: 'corrective_action_escalated', audience: { roles: ['aims_owner'], people: [] } });
    expect(
      notificationsFor(event('EffectivenessReviewDue', 'nonconformity-nc-1', { nonconformityId: 'nc-1', round: 1, dueAt: 'x' }))[0],
    ).toMatchObject({ kind: 'effectiveness_review_due' });
  });

  it('given any other event or a task naming nobody, when ruled, then nobody is told', () => {
    expect(notificationsFor(event('DeploymentApproved', 'ai-system-s', {}))).toEqual([]);
    expect(notificationsFor(event('HumanTaskOpened', 'ai-system-s', { taskId: 't', requiredRoles: [] }))).toEqual([]);
    expect(notificationsFor(event('toString', 'ai-system-s', {}))).toEqual([]);
    expect(NOTIFIABLE_EVENT_TYPES).toContain('HumanTaskOpened');
  });
});

describe('notification templates', () => {
  it('given a task opened, when rendered, then the subject and text name it and link to the console pages of the task and of the system', () => {
    const [intent] = notificationsFor(opened);
    const message = renderNotification(intent, 'https://aims.example.org/');
    expect(message.subject).toBe('[AIMS] Task for you: deployment approval task-3 (credit-scoring)');
    expect(message.text).toContain('Due: 2026-12-08T09:00:00.000Z');
    expect(message.links).toEqual(['https://aims.example.org/tasks/task-3', 'https://aims.example.org/ai-systems/credit-scoring']);
    expect(message.text).toContain('Open: https://aims.example.org/tasks/task-3');
  });

  it('given a nonconformity with an engine id, when rendered, then the link encodes the id', () => {
    const [intent] = notificationsFor(
      event('NonconformityRaised', 'nonconformity-aims:nc-1', {
        nonconformityId: 'aims:nc-1',
        source: 'incident',
        severity: 'critical',
        title: 'Harm reported',
        aiSystemIds: [],
      }),
    );
    const message = renderNotification(intent, 'http://127.0.0.1:3000');
    expect(message.subject).toBe('[AIMS] Nonconformity raised (critical): Harm reported');
    expect(message.links).toEqual(['http://127.0.0.1:3000/nonconformities/aims%3Anc-1']);
  });
});
