/**
 * A local identity provider for tests: serves a JWKS over HTTP and signs JWTs (RS256, ES256) with the
 * matching private keys, using node:crypto only.
 */
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestSigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function newSigningKey(alg: 'RS256' | 'ES256', kid: string): TestSigningKey {
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey: pair.privateKey, publicJwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

export function signJwt(
  key: Pick<TestSigningKey, 'alg' | 'privateKey'> & { kid?: string },
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const h = Buffer.from(JSON.stringify({ alg: key.alg, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}), ...header })).toString(
    'base64url',
  );
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const input = Buffer.from(`${h}.${p}`);
  const signature =
    key.alg === 'RS256' ? sign('sha256', input, key.privateKey) : sign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${h}.${p}.${signature.toString('base64url')}`;
}

export interface JwksServer {
  url: string;
  /** Replaces the published keys (key rotation). */
  publish(keys: TestSigningKey[]): void;
  /** How many times the JWKS was fetched. */
  readonly fetches: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: TestSigningKey[]): Promise<JwksServer> {
  let published = keys;
  let fetches = 0;
  const server = http.createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    publish: (next) => (published = next),
    get fetches() {
      return fetches;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
