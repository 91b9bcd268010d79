/** One task as the inbox and a system's page show it: what, for which system, who asked, when due, and its marks. */
import { Link } from 'wouter';
import type { Task } from './decide-form';
import { Time } from './time';

export const kindLabel = (kind: string) => kind.replace(/_/g, ' ');

/** The subject's plain values (version, environment, …), for a line of text. */
function subjectLine(subject: Record<string, unknown>): string {
  return Object.entries(subject)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .slice(0, 4)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' · ');
}

export function isOverdue(task: Task, now = Date.now()): boolean {
  return task.dueAt !== null && Date.parse(task.dueAt) < now;
}

/**
 * `level`: the heading's rank under the page's own headings (the inbox and a task's page: 2, under the h1;
 * a system's page: 3, under its "Open tasks"), so headings never skip a rank.
 */
export function TaskSummary({ task, level = 3 }: { task: Task; level?: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div className="task-summary">
      <Heading>
        <Link href={`/tasks/${encodeURIComponent(task.taskId)}`}>{kindLabel(task.kind)}</Link>
        {isOverdue(task) && <span className="badge danger">overdue</span>}
        {task.escalatedTo !== null && <span className="badge warn">escalated to {task.escalatedTo}</span>}
        {task.requestedByYou && <span className="badge">requested by you</span>}
      </Heading>
      <p>
        {task.aiSystemIds.map((id) => (
          <Link key={id} href={`/ai-systems/${encodeURIComponent(id)}`} className="chip">
            {id}
          </Link>
        ))}{' '}
        {subjectLine(task.subject)}
      </p>
      <p className="muted">
        Due <Time at={task.dueAt} /> · opened <Time at={task.openedAt} />
        {task.requestedBy !== null && <> · requested by {task.requestedBy}</>} · for {task.eligibleRoles.join(', ') || task.assignee}
      </p>
    </div>
  );
}
