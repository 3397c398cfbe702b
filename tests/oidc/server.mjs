// A certified OAuth 2 / OpenID Connect server (oidc-provider) for the engine's conformance tests
// (crates/engine/tests/oidc_provider.rs).
//
//   node tests/oidc/server.mjs [port]      (port 0 or none: any free port)
//
// Listens on 127.0.0.1 only. When ready, prints one JSON line to stdout:
//   {"issuer":"http://127.0.0.1:PORT","port":PORT}
// and nothing else to stdout (oidc-provider's notices go to stderr). Stops on SIGTERM, SIGINT, or
// when stdin closes (so it never outlives the test process that started it). To run it by hand
// in the background, keep its stdin open: `sleep infinity | node tests/oidc/server.mjs 4000 &`.
//
// Endpoints (issuer-relative): /auth, /token, /revoke (beside /token, where the engine looks for
// it, as on ScopeStack's Doorkeeper), /token/introspection, /me, /jwks, /interaction/:uid (the
// built-in login and consent pages: any login and password are accepted).
//
// Clients (all confidential):
//   browser-post   authorization_code + refresh_token, client_secret_post,  secret "browser-post-secret"
//   browser-basic  authorization_code + refresh_token, client_secret_basic, secret "basic secret+with/odd:chars%&="
//   service-post   client_credentials, client_secret_post,  secret "service-post-secret"
//   service-basic  client_credentials, client_secret_basic, secret "svc secret+with/odd:chars%&="
// The "basic" secrets hold characters that RFC 6749 section 2.3.1 says to form-encode inside a
// Basic header (oidc-provider decodes them), so a client that skips the encoding is refused.
// Note that oidc-provider accepts either of the two secret methods from a client registered
// with one of them; it refuses a request that uses both at once.
// The browser clients are "native" applications registered with http://127.0.0.1:8765/callback:
// for native clients oidc-provider accepts the same loopback callback on any port (RFC 8252
// section 7.3), so each test can listen on a port of its own.
//
// Policy: PKCE (S256) is required of every client; a refresh token is issued with every code
// exchange (no offline_access or consent needed) and replaced at every refresh (rotation, as
// Doorkeeper does); reusing a replaced refresh token revokes the whole grant (oidc-provider's
// reuse detection). Short token lifetimes: access tokens 60 s, refresh tokens 10 minutes.

import http from 'node:http';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

// oidc-provider prints notices with console.info, which would mix with the ready line.
console.info = (...args) => console.error(...args);

const HOST = '127.0.0.1';
const requestedPort = Number.parseInt(process.argv[2] ?? process.env.OIDC_PORT ?? '0', 10) || 0;

const CALLBACK = 'http://127.0.0.1:8765/callback';
const SCOPES = ['openid', 'offline_access', 'read', 'write'];

function browserClient(id, secret, auth) {
  return {
    client_id: id,
    client_secret: secret,
    application_type: 'native',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [CALLBACK],
    token_endpoint_auth_method: auth,
    scope: SCOPES.join(' '),
  };
}

function serviceClient(id, secret, auth) {
  return {
    client_id: id,
    client_secret: secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: auth,
    scope: 'read write',
  };
}

const server = http.createServer();
server.listen(requestedPort, HOST, () => {
  const { port } = server.address();
  const issuer = `http://${HOST}:${port}`;

  const provider = new Provider(issuer, {
    clients: [
      browserClient('browser-post', 'browser-post-secret', 'client_secret_post'),
      browserClient('browser-basic', 'basic secret+with/odd:chars%&=', 'client_secret_basic'),
      serviceClient('service-post', 'service-post-secret', 'client_secret_post'),
      serviceClient('service-basic', 'svc secret+with/odd:chars%&=', 'client_secret_basic'),
    ],
    // Any login and password sign in, as the account named by the login.
    async findAccount(ctx, sub) {
      return { accountId: sub, async claims() { return { sub }; } };
    },
    scopes: SCOPES,
    routes: {
      authorization: '/auth',
      token: '/token',
      revocation: '/revoke',
      introspection: '/token/introspection',
      userinfo: '/me',
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      // A client revokes its own tokens; any confidential client may introspect (the tests
      // check tokens of one client as another).
      revocation: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (ctx, client) => client.clientAuthMethod !== 'none',
      },
    },
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 60,
      ClientCredentials: 60,
      AuthorizationCode: 60,
      IdToken: 60,
      RefreshToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
  });

  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

server.on('error', (err) => {
  console.error(`oidc test server: ${err.message}`);
  process.exit(1);
});

function stop() {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
