/**
 * The web console (apps/console), built by `npm run build` into dist/console, served by the API itself at
 * `/`: no extra process, no CDN. Files under /assets are content-hashed, so browsers may keep them; any
 * other path that names no file and asks for HTML is a deep link into the single-page app and gets its
 * index.html. The API's own paths are never the console's: an unknown /v1 route stays a problem+json 404.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { static as serveStatic, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { consoleCsp } from '../edge/security-headers';

/** Paths the API answers (routes, health, metrics, the OpenAPI document and page). */
const API_SEGMENTS = ['v1', 'health', 'ready', 'metrics'];
const API_PREFIXES = ['/openapi', '/docs'];

export function isApiPath(urlPath: string): boolean {
  const first = urlPath.split('/')[1] ?? '';
  return API_SEGMENTS.includes(first) || API_PREFIXES.some((prefix) => urlPath.startsWith(prefix));
}

/**
 * The console's middleware, or null when `dir` holds no built console (then `/` is a 404 like any unknown
 * path). `connectOrigin`: the identity provider's origin the console may call (sign-in), or null.
 */
export function consoleAssets(dir: string | null, connectOrigin: string | null = null): RequestHandler | null {
  if (dir === null) return null;
  const csp = consoleCsp(connectOrigin);
  const indexFile = path.join(dir, 'index.html');
  if (!fs.existsSync(indexFile)) return null;
  const files = serveStatic(dir, {
    index: false,
    redirect: false,
    fallthrough: true,
    dotfiles: 'ignore',
    setHeaders: (res, filePath) => {
      res.setHeader('Content-Security-Policy', csp);
      if (filePath.startsWith(path.join(dir, 'assets') + path.sep)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  const sendIndex = (res: Response) => {
    res.setHeader('Content-Security-Policy', csp);
    res.type('html').sendFile(indexFile);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    if (req.path === '/' || req.path === '/index.html') return sendIndex(res);
    files(req, res, () => {
      // A deep link (/tasks/x, /ai-systems/y): no file extension, and a browser navigating (it names
      // text/html); a client that names no type, or JSON first, gets the API's problem+json 404.
      if (path.extname(req.path) === '' && /\btext\/html\b/.test(req.get('accept') ?? '') && req.accepts(['json', 'html']) === 'html')
        return sendIndex(res);
      next();
    });
  };
}
