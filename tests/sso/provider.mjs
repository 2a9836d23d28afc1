// A real OpenID Connect provider for the portal's sign-in tests (tests/sso/conftest.py starts it on the loopback
// address): the certified `oidc-provider` package with one confidential client, RS256 keys made at start, accounts
// with a groups claim, and its development login form (any password). A few /__test__/ routes let a test change an
// account's groups, make the JWKS or the token response lie, shorten the code's lifetime, or set the provider's
// clock off (its ID tokens' times shifted and signed again with its own key); nothing else is fake.
//
// Usage: node tests/sso/provider.mjs PORT REDIRECT_URI[,REDIRECT_URI...] POST_LOGOUT_URI[,...]
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, redirectUris, postLogoutUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

function rsaKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}
const signingKey = rsaKey('portal-test-key');
// Same kid, another key: served instead of the real one in the "wrong JWKS" mode.
const { d, p, q, dp, dq, qi, ...strangerPublic } = rsaKey('portal-test-key');

const initialAccounts = {
  'sekretaer': { email: 'sekretaer@gentofte.test', name: 'Sara Sekretær', groups: ['grp-sekretariat'] },
  'politiker': { email: 'politiker@gentofte.test', name: 'Poul Politiker', groups: ['grp-politiker'] },
  'admin': { email: 'admin@gentofte.test', name: 'Anne Admin', groups: ['grp-admin'] },
  'borger': { email: 'borger@gentofte.test', name: 'Bo Borger', groups: ['grp-andet'] },
};
let accounts = structuredClone(initialAccounts);
const modes = { wrongJwks: false, tamperIdToken: false, codeTtl: 60, clockOffset: 0 };

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'portal',
    client_secret: 'portal-test-secret',
    redirect_uris: redirectUris.split(','),
    post_logout_redirect_uris: postLogoutUris.split(','),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['provider-test-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  // Entra ID puts the groups in the ID token; so does this provider (not only in userinfo).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  ttl: { AuthorizationCode: () => modes.codeTtl, IdToken: 3600, AccessToken: 3600, Session: 3600, Interaction: 600, Grant: 3600 },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: true, name: account.name, groups: account.groups };
      },
    };
  },
  // The municipality's own app registration needs no consent screen: every requested scope is granted.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test__/reset' && ctx.method === 'POST') {
    accounts = structuredClone(initialAccounts);
    Object.assign(modes, { wrongJwks: false, tamperIdToken: false, codeTtl: 60, clockOffset: 0 });
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path.startsWith('/__test__/') && ctx.method === 'POST') {
    const body = await new Promise((resolve) => {
      let data = '';
      ctx.req.on('data', (chunk) => { data += chunk; });
      ctx.req.on('end', () => resolve(data ? JSON.parse(data) : {}));
    });
    if (ctx.path === '/__test__/modes') Object.assign(modes, body);
    else if (ctx.path.startsWith('/__test__/accounts/')) accounts[ctx.path.split('/').pop()] = body;
    ctx.body = { ok: true, modes };
    return;
  }
  await next();
  if (ctx.path === '/jwks' && modes.wrongJwks) {
    ctx.body = { keys: [strangerPublic] };
  }
  if (ctx.path === '/token' && modes.tamperIdToken && ctx.body && ctx.body.id_token) {
    // A man in the middle promotes the user: the payload changes, the signature stays the provider's.
    const [header, payload, signature] = ctx.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.groups = ['grp-admin'];
    ctx.body = { ...ctx.body, id_token: [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.') };
  }
  if (ctx.path === '/token' && modes.clockOffset && ctx.body && ctx.body.id_token) {
    const [header, payload] = ctx.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    for (const name of ['iat', 'exp', 'auth_time']) if (claims[name]) claims[name] += modes.clockOffset;
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), createPrivateKey({ key: signingKey, format: 'jwk' }));
    ctx.body = { ...ctx.body, id_token: `${input}.${signature.toString('base64url')}` };
  }
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
