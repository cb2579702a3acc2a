// A test wallet built on Animo's OpenID4VCI 1.0 client (@openid4vc/openid4vci), not our code.
//
//   node wallet.mjs <credential offer (openid-credential-offer://…)> <tx code> [EdDSA|ES256]
//
// It makes a key of its own (did:jwk), resolves the offer by reference and the issuer's
// metadata, trades the pre-authorised code and the tx code for an access token, asks the
// nonce endpoint for a c_nonce before each request, and asks for every credential
// configuration the offer names. Prints {did, credentials: {<configuration id>: credential}}
// as JSON; on a refusal, {error, status, body} and exit code 1.
import { createHash, randomBytes } from "node:crypto";
import { clientAuthenticationAnonymous } from "@openid4vc/oauth2";
import { Openid4vciClient } from "@openid4vc/openid4vci";
import { setGlobalConfig } from "@openid4vc/utils";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const [offerUri, txCode, alg = "EdDSA"] = process.argv.slice(2);
// The test server speaks plain http on localhost; a real wallet would refuse it.
setGlobalConfig({ allowInsecureUrls: process.env.WALLET_ALLOW_HTTP === "1" });

const { publicKey, privateKey } = await generateKeyPair(alg, alg === "EdDSA" ? { crv: "Ed25519" } : {});
const { kty, crv, x, y } = await exportJWK(publicKey);
const publicJwk = y ? { kty, crv, x, y } : { kty, crv, x };
const did = "did:jwk:" + Buffer.from(JSON.stringify(publicJwk)).toString("base64url");

const callbacks = {
  fetch: globalThis.fetch,
  generateRandom: (length) => randomBytes(length),
  hash: (data, algorithm) => createHash(algorithm.replace("-", "").toLowerCase()).update(data).digest(),
  clientAuthentication: clientAuthenticationAnonymous(),
  signJwt: async (signer, { header, payload }) => {
    const jwt = await new SignJWT(payload).setProtectedHeader(header).sign(privateKey);
    return { jwt, signerJwk: publicJwk };
  },
};

const client = new Openid4vciClient({ callbacks });
try {
  const offer = await client.resolveCredentialOffer(offerUri);
  const metadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata: metadata,
    txCode,
  });
  const credentials = {};
  for (const configurationId of offer.credential_configuration_ids) {
    const nonceResponse = await client.requestNonce({ issuerMetadata: metadata });
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata: metadata,
      credentialConfigurationId: configurationId,
      signer: { method: "did", didUrl: `${did}#0`, alg },
      nonce: nonceResponse.c_nonce,
    });
    const { credentialResponse } = await client.retrieveCredentials({
      issuerMetadata: metadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: configurationId,
      proofs: { jwt: [jwt] },
    });
    credentials[configurationId] = credentialResponse.credentials[0].credential;
  }
  console.log(JSON.stringify({ did, version: metadata.originalDraftVersion, credentials }));
} catch (error) {
  const response = error.response ?? error.errorResponse;
  console.log(
    JSON.stringify({
      error: `${error.name}: ${error.message}`,
      status: response?.status,
      body: error.responseText ?? error.errorResponse ?? null,
    }),
  );
  process.exit(1);
}
