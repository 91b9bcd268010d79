/**
 * The typed API client: paths and bodies come from openapi.d.ts, generated from the document the API
 * serves (test/unit/console/openapi-types.test.ts fails when it no longer matches), so a changed contract
 * breaks the console's type check instead of its users.
 */
import createClient from 'openapi-fetch';
import { storedToken } from '../session';
import type { components, paths } from './openapi';

export type Schemas = components['schemas'];

/** An answer the API refused, as its problem+json words it. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; messages: string[] }>;
}

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
  }
}

export const api = createClient<paths>({ baseUrl: window.location.origin });

api.use({
  onRequest({ request }) {
    const token = storedToken();
    if (token !== null) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
});

function asProblem(body: unknown, response: Response): Problem {
  if (typeof body === 'object' && body !== null && 'title' in body) {
    const b = body as Partial<Problem>;
    return { ...b, title: String(b.title), status: typeof b.status === 'number' ? b.status : response.status };
  }
  return { title: response.statusText || 'Request failed', status: response.status };
}

/** The answer's data, or an ApiProblem carrying the refusal. */
export async function answer<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (err) {
    throw new ApiProblem({ title: 'The API did not answer', status: 0, detail: err instanceof Error ? err.message : String(err) });
  }
  if (result.error !== undefined || !result.response.ok) throw new ApiProblem(asProblem(result.error, result.response));
  return result.data as T;
}
