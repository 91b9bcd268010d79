/** A bearer token (pasted, or from the identity provider) is kept only once the API accepts it. */
import { ApiProblem, answer, api } from './api/client';
import { forgetToken, storeToken } from './session';

/** Keeps `token` if the API accepts it (GET /v1/me); otherwise forgets it and throws the refusal, titled `refusedTitle` when it is a 401. */
export async function keepIfAccepted(token: string, refusedTitle: string): Promise<void> {
  storeToken(token);
  try {
    await answer(api.GET('/v1/me'));
  } catch (err) {
    forgetToken();
    if (err instanceof ApiProblem && err.problem.status === 401) throw new ApiProblem({ ...err.problem, title: refusedTitle });
    // Authenticated, yet no role at all: an identity-provider account whose roles grant no AIMS role.
    if (err instanceof ApiProblem && err.problem.status === 403)
      throw new ApiProblem({ ...err.problem, title: 'You are known, but hold no aims role: ask an aims administrator for one' });
    throw err;
  }
}
