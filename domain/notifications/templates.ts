/**
 * One template per kind: a subject line and a plain-text body, with links built from the deployment's
 * public URL (AIMS_PUBLIC_URL) to the web console's page where the person acts (the task in their inbox,
 * the system, the nonconformity; the API serves the console at `/`). A message carries the facts of the
 * source event and where to act, never a token or a secret: whoever follows a link signs in as usual.
 */
import type { NotificationKind } from './notification-kinds';
import type { NotificationFacts, NotificationIntent } from './rules';

export interface RenderedMessage {
  subject: string;
  text: string;
  /** Where to act or read more (absolute URLs). */
  links: string[];
}

type Template = (facts: NotificationFacts, link: (path: string) => string) => RenderedMessage;

const orUnknown = (value: string | null): string => value ?? '(not recorded)';

function taskLinks(facts: NotificationFacts, link: (path: string) => string): string[] {
  const links = [link(facts.taskId === null ? '/tasks' : `/tasks/${encodeURIComponent(facts.taskId)}`)];
  if (facts.systemId !== null) links.push(link(`/ai-systems/${encodeURIComponent(facts.systemId)}`));
  return links;
}

function ncLinks(facts: NotificationFacts, link: (path: string) => string): string[] {
  return facts.nonconformityId === null ? [] : [link(`/nonconformities/${encodeURIComponent(facts.nonconformityId)}`)];
}

function body(lines: ReadonlyArray<string | null>, links: string[]): string {
  const shown = lines.filter((line): line is string => line !== null);
  return [
    ...shown,
    '',
    ...links.map((l) => `Open: ${l}`),
    '',
    'This message was sent by the AIMS; the evidence records that it was sent.',
  ].join('\n');
}

function taskTemplate(headline: string, verb: string): Template {
  return (facts, link) => {
    const links = taskLinks(facts, link);
    const what = `${orUnknown(facts.taskKind).replace(/_/g, ' ')} ${orUnknown(facts.taskId)}`;
    return {
      subject: `[AIMS] ${headline}: ${what}${facts.systemId === null ? '' : ` (${facts.systemId})`}`,
      text: body(
        [
          `A task ${verb}: ${what}.`,
          facts.systemId === null ? null : `AI system: ${facts.systemId}`,
          `Due: ${orUnknown(facts.dueAt)}`,
          facts.escalatedTo === null ? null : `Escalated to: ${facts.escalatedTo}`,
        ],
        links,
      ),
      links,
    };
  };
}

function actionTemplate(headline: string, verb: string): Template {
  return (facts, link) => {
    const links = ncLinks(facts, link);
    return {
      subject: `[AIMS] ${headline}: action ${orUnknown(facts.actionId)} of nonconformity ${orUnknown(facts.nonconformityId)}`,
      text: body(
        [
          `Corrective action ${orUnknown(facts.actionId)} of nonconformity ${orUnknown(facts.nonconformityId)} ${verb}.`,
          `Due: ${orUnknown(facts.dueAt)}`,
          facts.escalatedTo === null ? null : `Escalated to: ${facts.escalatedTo}`,
        ],
        links,
      ),
      links,
    };
  };
}

const TEMPLATES: Readonly<Record<NotificationKind, Template>> = {
  task_opened: taskTemplate('Task for you', 'is open for your decision'),
  task_due: taskTemplate('Task due', 'awaits your decision and is due soon'),
  task_escalated: taskTemplate('Task escalated', 'was not decided in time and is escalated'),
  nonconformity_raised: (facts, link) => {
    const links = ncLinks(facts, link);
    return {
      subject: `[AIMS] Nonconformity raised (${orUnknown(facts.severity)}): ${orUnknown(facts.title)}`,
      text: body(
        [
          `Nonconformity ${orUnknown(facts.nonconformityId)} was raised from ${orUnknown(facts.source).replace(/_/g, ' ')}.`,
          `Title: ${orUnknown(facts.title)}`,
          `Severity: ${orUnknown(facts.severity)}`,
          facts.systemId === null ? null : `AI system: ${facts.systemId}`,
          'Containment is awaited.',
        ],
        links,
      ),
      links,
    };
  },
  corrective_action_due: actionTemplate('Corrective action due', 'is due soon'),
  corrective_action_overdue: actionTemplate('Corrective action overdue', 'is overdue'),
  corrective_action_escalated: actionTemplate('Corrective action escalated', 'is overdue and escalated'),
  effectiveness_review_due: (facts, link) => {
    const links = ncLinks(facts, link);
    return {
      subject: `[AIMS] Effectiveness review due: nonconformity ${orUnknown(facts.nonconformityId)}`,
      text: body(
        [`The effectiveness review of nonconformity ${orUnknown(facts.nonconformityId)} is due.`, `Due: ${orUnknown(facts.dueAt)}`],
        links,
      ),
      links,
    };
  },
};

/** The message for an intent; `publicUrl` is the deployment's base URL (no trailing slash needed). */
export function renderNotification(intent: NotificationIntent, publicUrl: string): RenderedMessage {
  const base = publicUrl.replace(/\/+$/, '');
  return TEMPLATES[intent.kind](intent.facts, (path) => `${base}${path}`);
}
