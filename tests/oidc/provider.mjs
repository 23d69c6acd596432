// A real OpenID Connect provider (npm oidc-provider) for the tests, on http://127.0.0.1:PORT. Test use only.
// With OIDC_TLS_CERT and OIDC_TLS_KEY (PEM files) it serves https://127.0.0.1:PORT instead, as production needs.
//
//   OIDC_CLIENTS='[{"client_id": "...", "client_secret": "...", "redirect_uris": [...], "code_ttl": 1, ...}]' \
//   OIDC_RESOURCES='{"https://gemeente.example/events": {"scope": "events:write", "ttl": 60}}' \
//   node tests/oidc/provider.mjs PORT
//
// The built-in development pages (devInteractions) accept any login name, which becomes the `sub`, and any
// password. PKCE is required for every client. Prints "ready <issuer>" once it listens.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import Provider, { errors } from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node tests/oidc/provider.mjs PORT  (or OIDC_PORT)');
  process.exit(2);
}
const tls = process.env.OIDC_TLS_CERT && process.env.OIDC_TLS_KEY;
const issuer = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
// A client's own "code_ttl" (not client metadata, so taken off here) is how many seconds its authorization codes
// live; 60 when it has none.
const codeTtls = new Map();
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]').map(({ code_ttl: codeTtl, ...client }) => {
  codeTtls.set(client.client_id, Number(codeTtl || 60));
  return client;
});
// Resource servers for JWT access tokens (client credentials with `resource=`): {audience: {scope, ttl}}.
const resources = JSON.parse(process.env.OIDC_RESOURCES || '{}');

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      async getResourceServerInfo(_ctx, resource) {
        const server = resources[resource];
        if (!server) throw new errors.InvalidTarget();
        return { scope: server.scope, audience: resource, accessTokenFormat: 'jwt',
                 accessTokenTTL: Number(server.ttl || 600) };
      },
    },
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  ttl: {
    AuthorizationCode: (_ctx, _code, client) => codeTtls.get(client.clientId),
    AccessToken: 600,
    ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL || 600,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  cookies: { keys: ['test-provider-cookie-key-not-secret'] },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, email: `${sub}@example.test`, email_verified: true, name: `Test ${sub}` };
      },
    };
  },
});

const ready = () => console.log(`ready ${issuer}`);
const server = tls
  ? createServer({ cert: readFileSync(process.env.OIDC_TLS_CERT), key: readFileSync(process.env.OIDC_TLS_KEY) },
    provider.callback()).listen(port, '127.0.0.1', ready)
  : provider.listen(port, '127.0.0.1', ready);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
