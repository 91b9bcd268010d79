/**
 * My tasks: the one inbox (GET /v1/tasks), soonest due first, overdue and escalated marked; each task
 * opens at its own link (/tasks/:taskId) where it is decided. The server sends it a page at a time (the next
 * page is read as the reader nears the end, or on "More tasks"); the list renders only the tasks near the
 * viewport, so an inbox of thousands stays fast.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { answer, api } from '../api/client';
import { Link } from 'wouter';
import { DecideForm, OUTCOME_LABELS, type Outcome, type Task } from '../components/decide-form';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { TaskSummary } from '../components/task-card';
import { useVirtualRows } from '../components/virtual-rows';

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
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = inbox;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  if (inbox.isPending) return <Loading what="your tasks" />;
  if (inbox.error) return <ProblemNotice error={inbox.error} />;
  const tasks: Task[] = inbox.data.pages.flatMap((p) => p.items);
  if (taskId !== undefined) return <TaskPage taskId={taskId} tasks={tasks} more={inbox.hasNextPage} loadMore={loadMore} />;
  return (
    <>
      <h1>My tasks</h1>
      <p className="muted">Open to one of your roles or assigned to you, soonest due first.</p>
      {tasks.length === 0 ? <Empty>Nothing waits for you.</Empty> : <TaskList tasks={tasks} more={inbox.hasNextPage} loadMore={loadMore} />}
      {inbox.hasNextPage && (
        <Button isDisabled={inbox.isFetchingNextPage} onPress={() => void inbox.fetchNextPage()}>
          More tasks
        </Button>
      )}
    </>
  );
}

/**
 * The open tasks, a row for each near the viewport. aria-setsize says how many are loaded (-1 while the
 * server holds more: the count is not known yet) and aria-posinset where each shown task stands.
 */
function TaskList({ tasks, more, loadMore }: { tasks: Task[]; more: boolean; loadMore: () => void }) {
  const rows = useVirtualRows<HTMLOListElement>({
    count: tasks.length,
    estimateSize: 118,
    gap: 12,
    onNearEnd: more ? loadMore : undefined,
  });
  return (
    <ol ref={rows.container} className="cards virtual" aria-label="Open tasks" style={{ height: rows.totalSize }} {...rows.focusHandlers}>
      {rows.items.map((item) => {
        const task = tasks[item.index];
        return (
          <li
            key={task.taskId}
            ref={rows.measure}
            data-index={item.index}
            aria-posinset={item.index + 1}
            aria-setsize={more ? -1 : tasks.length}
            style={{ transform: `translateY(${rows.offset(item)}px)` }}
          >
            <TaskSummary task={task} level={2} />
          </li>
        );
      })}
    </ol>
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
      <TaskSummary task={task} level={2} />
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
