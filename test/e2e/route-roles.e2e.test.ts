/**
 * Every route of the real app declares who may call it. Walks the controllers Nest registered (and checks
 * the walk against the OpenAPI document, so no route escapes it): each route has @Roles(...) unless it is
 * /health, /ready or /v1/auth/oidc, a writing route never lets the read-only auditor in unless it is @ReadsOnly(), and
 * every declared route really answers 401 without a token.
 */
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { PUBLIC_KEY, READS_ONLY_KEY, ROLES_KEY } from '../../apps/api/src/auth/roles.decorator';
import { AIMS_ROLES } from '../../domain/shared/roles';
import { startApiHarness, type ApiHarness } from './support/api-harness';

interface Route {
  method: string;
  path: string;
  roles: string[] | undefined;
  isPublic: boolean;
  readsOnly: boolean;
}

const PUBLIC_PATHS = ['/health', '/ready', '/v1/auth/oidc'];

function joinPath(...parts: Array<string | undefined>): string {
  const joined = parts
    .filter((p): p is string => p !== undefined && p !== '' && p !== '/')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .join('/');
  return `/${joined}`;
}

function routesOf(api: ApiHarness): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const subPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (subPath === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const meta = <T>(key: string): T | undefined =>
          (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined;
        for (const p of Array.isArray(subPath) ? subPath : [subPath]) {
          routes.push({
            method,
            // A wildcard (`*path`) is one {path} parameter in the OpenAPI document.
            path: joinPath(prefix, p).replace(/\*([A-Za-z]+)/g, ':$1'),
            roles: meta<string[]>(ROLES_KEY),
            isPublic: meta<boolean>(PUBLIC_KEY) === true,
            readsOnly: meta<boolean>(READS_ONLY_KEY) === true,
          });
        }
      }
    }
  }
  return routes;
}

/** A concrete URL for a route pattern: valid-looking values for its parameters. */
function concrete(path: string): string {
  return path.replace(/:stream\b/g, 'ai-system-x').replace(/:[A-Za-z]+/g, 'x1');
}

describe('every route declares its roles', () => {
  let api: ApiHarness;
  let routes: Route[];

  beforeAll(async () => {
    api = await startApiHarness();
    routes = routesOf(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('given the app, when its controllers are walked, then the walk finds every operation of the OpenAPI document', async () => {
    const doc = (
      await request(api.server as Parameters<typeof request>[0])
        .get('/docs/openapi.json')
        .expect(200)
    ).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
    );
    const walked = routes.map((r) => `${r.method} ${r.path}`);
    expect(walked.sort()).toEqual(documented.sort());
    expect(walked).toEqual(expect.arrayContaining(['GET /v1/ai-systems', 'GET /v1/audit/events', 'POST /v1/audit/verify']));
    // The document tells callers who may call each operation.
    for (const route of routes.filter((r) => !r.isPublic)) {
      const operation = doc.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()] as
        Record<string, unknown> | undefined;
      expect({ route: route.path, roles: operation?.['x-aims-roles'] }).toEqual({ route: route.path, roles: route.roles });
    }
  });

  it('given every route, when its declaration is read, then it names known roles, or it is /health, /ready or /v1/auth/oidc', () => {
    const undeclared = routes
      .filter((r) => !r.isPublic && (r.roles === undefined || r.roles.length === 0))
      .map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
    expect(
      routes
        .filter((r) => r.isPublic)
        .map((r) => r.path)
        .sort(),
    ).toEqual(PUBLIC_PATHS);
    for (const route of routes) for (const role of route.roles ?? []) expect(AIMS_ROLES).toContain(role);
  });

  it('given a route that writes, when it lists the auditor, then it must be marked @ReadsOnly()', () => {
    const writing = routes.filter((r) => !['GET', 'HEAD'].includes(r.method) && r.roles?.includes('auditor') && !r.readsOnly);
    expect(writing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('given every declared route, when called without a token, then it answers 401 problem+json', async () => {
    for (const route of routes.filter((r) => !r.isPublic)) {
      const agent = request(api.server as Parameters<typeof request>[0]);
      const call = (agent as unknown as Record<string, (url: string) => request.Test>)[route.method.toLowerCase()];
      const response = await call.call(agent, concrete(route.path));
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
