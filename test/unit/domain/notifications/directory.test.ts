import { notificationsFor, parseDirectory, resolveRecipients, type NotificationDirectory } from '../../../../domain/notifications';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const good = {
  people: [
    { id: 'alice', email: 'alice@example.org', roles: ['approver'] },
    { id: 'bob', email: 'bob@example.org', roles: ['approver', 'aims_owner'], preferences: { task_opened: [] } },
    { id: 'dave', email: 'dave@example.org', roles: ['engineer'] },
  ],
  webhooks: [
    { id: 'ops', url: 'https://hooks.example.org/aims', secret: SECRET, kinds: ['task_opened', 'nonconformity_raised'] },
    { id: 'all', url: 'https://all.example.org/in', secret: SECRET },
  ],
};

function directory(): NotificationDirectory {
  const parsed = parseDirectory(good);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

describe('notification directory', () => {
  it('given a well-formed file, when parsed, then defaults apply: e-mail for every kind, endpoints for every kind', () => {
    const dir = directory();
    expect(dir.people[0]).toEqual({ id: 'alice', email: 'alice@example.org', roles: ['approver'], channels: ['email'], preferences: {} });
    expect(dir.webhooks[1]?.kinds).toBeNull();
  });

  it('given mistakes, when parsed, then every one is reported by path and no secret is echoed', () => {
    const parsed = parseDirectory({
      people: [{ id: 'x y', email: 'nope', roles: ['pope'], preferences: { task_opend: ['email'], task_due: ['sms'] }, extra: 1 }],
      webhooks: [
        { id: 'h', url: 'ftp://x', secret: 'whsec_short', kinds: [] },
        { id: 'h2', url: 'https://u:p@x.example', secret: 'not-a-whsec-secret-value' },
      ],
      webhook: [],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const fields = parsed.error.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'people[0].id',
        'people[0].email',
        'people[0].roles',
        'people[0].preferences.task_opend',
        'people[0].preferences.task_due',
        'people[0].extra',
        'webhooks[0].url',
        'webhooks[0].secret',
        'webhooks[0].kinds',
        'webhooks[1].url',
        'webhooks[1].secret',
        '(root).webhook',
      ]),
    );
    expect(JSON.stringify(parsed.error)).not.toContain('whsec_short');
    expect(JSON.stringify(parsed.error)).not.toContain('not-a-whsec-secret-value');
  });

  it('given repeated ids, when parsed, then they are refused', () => {
    const parsed = parseDirectory({ people: [good.people[0], { ...good.people[0], id: 'ALICE' }] });
    expect(parsed.ok).toBe(false);
  });

  it('given a task opened for approvers, when resolved, then approvers who want it by e-mail and subscribed endpoints are the recipients', () => {
    const [intent] = notificationsFor({
      id: 'e1',
      stream: 'ai-system-s',
      position: 1,
      type: 'HumanTaskOpened',
      recordedAt: 'x',
      data: { taskId: 't', requiredRoles: ['approver'] },
    });
    expect(resolveRecipients(intent, directory())).toEqual([
      { type: 'person', id: 'alice', channel: 'email' },
      { type: 'webhook', id: 'all', channel: 'webhook' },
      { type: 'webhook', id: 'ops', channel: 'webhook' },
    ]);
  });

  it('given an owner named by person id, when resolved, then that person is told whatever roles they hold', () => {
    const [intent] = notificationsFor({
      id: 'e2',
      stream: 'nonconformity-n',
      position: 2,
      type: 'CorrectiveActionOverdue',
      recordedAt: 'x',
      data: { nonconformityId: 'n', actionId: 'a', owner: 'dave', dueDate: 'd' },
    });
    expect(resolveRecipients(intent, directory())).toEqual([
      { type: 'person', id: 'dave', channel: 'email' },
      { type: 'webhook', id: 'all', channel: 'webhook' },
    ]);
  });
});
