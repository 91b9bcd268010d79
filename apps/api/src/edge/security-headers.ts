/**
 * Headers on every response (issue 11, finding 9), written here rather than taken from a package: the API
 * serves JSON, so its policy can forbid everything a browser could do with a response; only the OpenAPI
 * page (/docs) loads its own scripts, styles and images.
 */
import type { NextFunction, Request, Response } from 'express';

/** Nothing may load, frame, or be submitted from an API response. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The Swagger UI page: its scripts, styles and the document from this origin (it sets a few inline styles);
 * still never framed. `data:` images are Swagger UI's icons.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The web console (console-assets.ts): its own scripts and styles only, API calls to this origin, no
 * inline script, never framed. Set on the console's files in place of API_CSP. `connectOrigin`: the
 * identity provider's origin when console sign-in with it is configured (AIMS_OIDC_CLIENT_ID): the console
 * reads its discovery document and exchanges the code at its token endpoint, and may reach nothing else.
 */
export function consoleCsp(connectOrigin: string | null = null): string {
  const connect = connectOrigin === null ? "'self'" : `'self' ${connectOrigin}`;
  return (
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src ${connect}; ` +
    "manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
  );
}

export const CONSOLE_CSP = consoleCsp();

export function securityHeaders(options: { hstsMaxAgeSeconds: number }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const docs = req.path === '/docs' || req.path.startsWith('/docs/') || req.path.startsWith('/docs-');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', docs ? DOCS_CSP : API_CSP);
    // Answers name people, systems and evidence: no shared or browser cache may keep them. The static
    // documentation page may be cached.
    if (!docs) res.setHeader('Cache-Control', 'no-store');
    if (options.hstsMaxAgeSeconds > 0)
      res.setHeader('Strict-Transport-Security', `max-age=${options.hstsMaxAgeSeconds}; includeSubDomains`);
    next();
  };
}
