/**
 * The read commands' one call to the API (`aims nc`, `aims soa`, `aims risks`): a GET with the token, the
 * JSON answer, or an ApiCallError whose message says what went wrong (unreachable, not JSON, refused with
 * the problem's title and detail) for the command to print and exit 1 with.
 */
export class ApiCallError extends Error {}

export async function getJson(url: string, token: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json, application/problem+json' },
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
