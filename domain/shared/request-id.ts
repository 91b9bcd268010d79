/**
 * An HTTP request id as the API accepts it from a caller (`X-Request-Id`) and the worker records it
 * (`metadata.httpRequestId`): a plain token, so that it can neither break a log line nor smuggle markup.
 */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}
