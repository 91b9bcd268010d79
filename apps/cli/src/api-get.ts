/**
 * The commands' calls to the API (`aims nc`, `aims soa`, `aims risks`, …): a GET or POST with the token, the
 * JSON answer, or an ApiCallError whose message says what went wrong (unreachable, not JSON, refused with
 * the problem's title and detail) for the command to print and exit 1 with.
 */
export class ApiCallError extends Error {}

export function getJson(url: string, token: string): Promise<unknown> {
  return callJson(url, token);
}

/** A POST of a JSON body with the token (the commands that take a step: `aims reviews`, `aims objectives`). */
export function postJson(url: string, token: string, body: unknown): Promise<unknown> {
  return callJson(url, token, body);
}

async function callJson(url: string, token: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }),
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new ApiCallError(`cannot reach the aims API at ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  let parsed: { title?: string; detail?: string };
  try {
    parsed = JSON.parse(text) as { title?: string; detail?: string };
  } catch {
    throw new ApiCallError(`the API answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok)
    throw new ApiCallError(
      `the API refused the request (${response.status} ${parsed.title ?? ''}): ${parsed.detail ?? text.slice(0, 500)}`,
    );
  return parsed;
}

/** A GET whose answer is a document (a report): its text, or an ApiCallError carrying the problem. */
export async function getText(url: string, token: string, accept: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: `${accept}, application/problem+json` },
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new ApiCallError(`cannot reach the aims API at ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  if (response.ok) return text;
  let parsed: { title?: string; detail?: string } = {};
  try {
    parsed = JSON.parse(text) as { title?: string; detail?: string };
  } catch {
    // not a problem document: its first characters are the message
  }
  throw new ApiCallError(`the API refused the request (${response.status} ${parsed.title ?? ''}): ${parsed.detail ?? text.slice(0, 500)}`);
}
