/**
 * Answers the edge can give on any route, added to the OpenAPI document where a route does not describe
 * them itself, so the document describes every response that can be sent (issue 11, finding 9):
 *   - 400: a body that is not JSON, or any field, path parameter or query value that is not well-formed
 *     Unicode (WellFormedTextPipe) — on every route;
 *   - 429: too many failed authentications from the caller's address — on every authenticated route.
 */
import type { OpenAPIObject } from '@nestjs/swagger';

const PROBLEM = { 'application/problem+json': { schema: { type: 'object' } } };

export const EDGE_BAD_REQUEST =
  'The request is malformed (problem+json naming the field): a body that is not JSON, or text that is not well-formed Unicode (a lone surrogate) in the body, a path parameter or the query';
export const EDGE_TOO_MANY =
  'Too many failed authentications from this address (AIMS_THROTTLE_AUTH_FAILURES): problem+json, with Retry-After in seconds';

export function describeEdgeResponses(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      operation.responses['400'] ??= { description: EDGE_BAD_REQUEST, content: PROBLEM };
      const authenticated = (operation.security ?? []).length > 0 || operation.responses['401'] !== undefined;
      if (authenticated) operation.responses['429'] ??= { description: EDGE_TOO_MANY, content: PROBLEM };
    }
  }
  return document;
}
