/** Loading, empty and refusal states, said in plain words (a refusal with the API's own detail). */
import type { ReactNode } from 'react';
import { ApiProblem } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function ProblemNotice({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const problem =
    error instanceof ApiProblem
      ? error.problem
      : {
          title: 'Something went wrong',
          status: 0,
          detail: error instanceof Error ? error.message : 'The console met an unexpected error.',
        };
  return (
    <div className="problem" role="alert">
      <strong>{problem.title}</strong>
      {problem.status > 0 ? <span className="muted"> ({problem.status})</span> : null}
      {problem.detail ? <p>{problem.detail}</p> : null}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field}>
              {e.field}: {e.messages.join('; ')}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
