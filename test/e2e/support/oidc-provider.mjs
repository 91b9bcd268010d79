/**
 * A real OpenID Connect provider for the console's sign-in test: panva's oidc-provider (ESM only, so its
 * own node process, which jest's CommonJS runtime could not load), on 127.0.0.1 at a port the system
 * picks. Configured as an organisation would configure its identity provider for the console:
 *  - one public client (no secret, token_endpoint_auth_method none, PKCE S256 required), whose only
 *    redirect URI is the console's callback;
 *  - access tokens for the API issued as JWTs (resource indicators, RFC 8707) with `aud` = the API's
 *    audience, signed ES256, carrying the account's roles in the roles claim;
 *  - the library's own development login and consent pages (any login, any password; the account must be
 *    one of AIMS_TEST_IDP_ACCOUNTS).
 * Input (environment): AIMS_TEST_IDP_CLIENT_ID, AIMS_TEST_IDP_REDIRECT_URI, AIMS_TEST_IDP_AUDIENCE,
 * AIMS_TEST_IDP_ROLES_CLAIM (default roles), AIMS_TEST_IDP_ACCOUNTS (JSON: id → { name, roles }).
 * Output: one line of JSON on stdout once listening, `{"issuer": "...", "jwksUri": "..."}`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const required = (name) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};
const clientId = required('AIMS_TEST_IDP_CLIENT_ID');
const redirectUri = required('AIMS_TEST_IDP_REDIRECT_URI');
const audience = required('AIMS_TEST_IDP_AUDIENCE');
const rolesClaim = process.env.AIMS_TEST_IDP_ROLES_CLAIM || 'roles';
const accounts = JSON.parse(required('AIMS_TEST_IDP_ACCOUNTS'));

// The issuer names its port, so the port is taken first and the provider mounted on that server after.
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [{ ...signingKey, kid: 'test-es256', alg: 'ES256', use: 'sig' }] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // A client that names no resource still gets a token for the API: the only resource here.
      defaultResource: async () => audience,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resourceIndicator) => {
        if (resourceIndicator !== audience) throw new errors.InvalidTarget();
        return { scope: 'openid', audience, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
  findAccount: async (_ctx, sub) => {
    const account = accounts[sub];
    if (account === undefined) return undefined;
    return { accountId: sub, claims: async () => ({ sub, name: account.name }) };
  },
  // The roles go in the API's access token (not only the ID token): the API reads them from there.
  extraTokenClaims: async (_ctx, token) => {
    if (token.kind !== 'AccessToken') return undefined;
    const account = accounts[token.accountId];
    return account === undefined ? undefined : { [rolesClaim]: account.roles, name: account.name };
  },
  claims: { openid: ['sub'], profile: ['name'] },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
});
// Tells the console's test what happened when a step fails (the library answers the browser in HTML).
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider server_error: ${error.stack}\n`));
provider.on('grant.error', (_ctx, error) =>
  process.stderr.write(`oidc-provider grant.error: ${error.message} ${error.error_description ?? ''}\n`),
);
provider.on('authorization.error', (_ctx, error) =>
  process.stderr.write(`oidc-provider authorization.error: ${error.message} ${error.error_description ?? ''}\n`),
);

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer, jwksUri: `${issuer}/jwks` })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
