// An OB 3.0 API client we did not write the OAuth of: panva's oauth4webapi does discovery
// (RFC 8414), PKCE S256, the authorization response, the code exchange and the bearer calls.
// Usage: node client.mjs <OB 3.0 discovery URL> <credential file to upsert> [content type]
// Prints one JSON line per step on stdout; after "waiting" it reads one line from stdin, then
// calls getCredentials once more and prints the status (401 after the learner revoked).
import * as oauth from "oauth4webapi";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [discoveryUrl, credentialFile, credentialType = "application/json"] = process.argv.slice(2);
const say = (event, data = {}) => process.stdout.write(JSON.stringify({ event, ...data }) + "\n");
const insecure = { [oauth.allowInsecureRequests]: true }; // the test server is http on loopback

async function main() {
  const discovery = await (await fetch(discoveryUrl)).json();
  const scheme = discovery.components.securitySchemes.OAuth2ACG;
  const apiBase = discovery.servers[0].url;
  const issuer = new URL(new URL(scheme.flows.authorizationCode.authorizationUrl).origin);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...insecure }),
  );
  if (!as.code_challenge_methods_supported?.includes("S256")) throw new Error("no S256");

  // The redirect comes back to a loopback port of ours.
  let onCallback;
  const callback = new Promise((resolve) => (onCallback = resolve));
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("You can close this window.");
    onCallback(new URL(req.url, `http://127.0.0.1:${server.address().port}`));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const redirectUri = `http://127.0.0.1:${server.address().port}/callback`;

  const scopes = Object.keys(scheme.flows.authorizationCode.scopes);
  const registration = await fetch(scheme["x-imssf-registrationUrl"], {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "Interop Test Wallet",
      client_uri: "https://interop.example",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      scope: scopes.join(" "),
      software_id: "cocreate-interop-client",
    }),
  });
  if (registration.status !== 201) throw new Error(`registration ${registration.status}`);
  const registered = await registration.json();
  say("registered", { client_id: registered.client_id });
  const client = { client_id: registered.client_id };
  const clientAuth = oauth.ClientSecretBasic(registered.client_secret);

  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  for (const [k, v] of Object.entries({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: scopes.join(" "),
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
  })) url.searchParams.set(k, v);
  say("authorize", { url: url.href });

  const params = oauth.validateAuthResponse(as, client, await callback, state);
  const tokenResponse = await oauth.authorizationCodeGrantRequest(
    as, client, clientAuth, params, redirectUri, verifier, insecure,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse);
  say("token", { scope: tokens.scope, refresh: Boolean(tokens.refresh_token) });

  // oauth4webapi throws on a 401 with a WWW-Authenticate challenge: keep that response.
  const call = async (method, path, body, headers = new Headers()) => {
    try {
      return await oauth.protectedResourceRequest(
        tokens.access_token, method, new URL(path), headers, body, insecure,
      );
    } catch (error) {
      if (error instanceof oauth.WWWAuthenticateChallengeError) return error.response;
      throw error;
    }
  };

  // getCredentials, one per page, following the Link header's "next".
  const ids = [];
  let next = `${apiBase}/credentials?limit=1`;
  let pages = 0;
  let total = null;
  while (next) {
    const response = await call("GET", next);
    if (response.status !== 200) {
      throw new Error(`getCredentials ${response.status} ${await response.text()}`);
    }
    total = Number(response.headers.get("x-total-count"));
    const page = await response.json();
    for (const c of page.credential) ids.push(c.id);
    for (const jws of page.compactJwsString) ids.push(jws.slice(0, 16));
    pages += 1;
    const link = response.headers.get("link") || "";
    next = (link.split(",").find((l) => /rel="next"/.test(l)) || "").match(/<([^>]+)>/)?.[1];
    if (pages > 50) throw new Error("too many pages");
  }
  say("pages", { pages, total, ids });

  const body = readFileSync(credentialFile);
  const upsert = await call("POST", `${apiBase}/credentials`, body,
    new Headers({ "content-type": credentialType }));
  const echoed = Buffer.from(await upsert.arrayBuffer());
  say("upsert", { status: upsert.status, same_bytes: echoed.equals(body) });

  const profile = await call("GET", `${apiBase}/profile`);
  say("profile", { status: profile.status, profile: await profile.json() });

  say("waiting");
  const lines = createInterface({ input: process.stdin });
  for await (const _line of lines) break;
  const after = await call("GET", `${apiBase}/credentials`);
  say("after", { status: after.status, www_authenticate: after.headers.get("www-authenticate") });
  server.close();
}

main().catch((error) => {
  say("error", { message: String(error?.message || error), code: error?.code, cause: String(error?.cause?.error || "") });
  process.exit(1);
});
