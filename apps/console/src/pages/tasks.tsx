/**
 * My tasks: the one inbox (GET /v1/tasks), soonest due first, overdue and escalated marked; each task
 * opens at its own link (/tasks/:taskId) where it is decided.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { answer, api } from '../api/client';
import { Link } from 'wouter';
import { DecideForm, OUTCOME_LABELS, type Outcome, type Task } from '../components/decide-form';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { TaskSummary } from '../components/task-card';

const PAGE = 100;

function useInbox() {
  return useInfiniteQuery({
    queryKey: ['tasks'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET('/v1/tasks', { params: { query: { limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function TasksPage({ taskId }: { taskId?: string }) {
  const inbox = useInbox();
  if (inbox.isPending) return <Loading what="your tasks" />;
  if (inbox.error) return <ProblemNotice error={inbox.error} />;
  const tasks: Task[] = inbox.data.pages.flatMap((p) => p.items);
  if (taskId !== undefined)
    return (
      <TaskPage
        taskId={taskId}
        tasks={tasks}
        more={inbox.hasNextPage}
        loadMore={() => !inbox.isFetchingNextPage && void inbox.fetchNextPage()}
      />
    );
  return (
    <>
      <h1>My tasks</h1>
      <p className="muted">Open to one of your roles or assigned to you, soonest due first.</p>
      {tasks.length === 0 ? (
        <Empty>Nothing waits for you.</Empty>
      ) : (
        <ol className="cards" aria-label="Open tasks">
          {tasks.map((task) => (
            <li key={task.taskId}>
              <TaskSummary task={task} />
            </li>
          ))}
        </ol>
      )}
      {inbox.hasNextPage && (
        <Button isDisabled={inbox.isFetchingNextPage} onPress={() => void inbox.fetchNextPage()}>
          More tasks
        </Button>
      )}
    </>
  );
}

function TaskPage({ taskId, tasks, more, loadMore }: { taskId: string; tasks: Task[]; more: boolean; loadMore: () => void }) {
  const found = tasks.find((t) => t.taskId === taskId);
  // Once decided, the task leaves the (refreshed) inbox: keep showing it with what was decided.
  const [decided, setDecided] = useState<{ task: Task; outcome: Outcome } | null>(null);
  const task = found ?? decided?.task;
  // A deep link to a task further down the inbox: read on until it is found or the inbox ends.
  useEffect(() => {
    if (task === undefined && more) loadMore();
  }, [task, more, loadMore]);
  if (task === undefined) {
    if (more) return <Loading what="the task" />;
    return (
      <>
        <h1>Task {taskId}</h1>
        <Empty>This task is not open to you: it was decided, or it waits for another role.</Empty>
      </>
    );
  }
  return (
    <>
      <h1>Task {task.taskId}</h1>
      <TaskSummary task={task} />
      {decided !== null ? (
        <p role="status">
          Decided: {OUTCOME_LABELS[decided.outcome]}. <Link href="/tasks">Back to my tasks</Link>
        </p>
      ) : (
        <DecideForm task={task} onDecided={(outcome) => setDecided({ task, outcome })} />
      )}
    </>
  );
}
