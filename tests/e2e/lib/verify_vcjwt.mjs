// verify_vcjwt.mjs — an independent check of a fow credential: verifies the
// Ed25519 signature of a VC-JWT with Node.js's built-in crypto (OpenSSL's
// Ed25519, not libsodium), the key taken from a JWK Set by the JWT's kid.
//   node verify_vcjwt.mjs CREDENTIAL_FILE JWKS_FILE
// Prints "valid" and exits 0, or prints why and exits 1.
import { readFileSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';

const [jwtFile, jwksFile] = process.argv.slice(2);
const jwt = readFileSync(jwtFile, 'utf8').trim();
const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
const parts = jwt.split('.');
if (parts.length !== 3) { console.log('not three parts'); process.exit(1); }
let header;
try {
  header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
} catch (e) { console.log('header is not JSON: ' + e.message); process.exit(1); }
if (header.alg !== 'EdDSA') { console.log('alg is not EdDSA'); process.exit(1); }
const jwk = (jwks.keys || []).find(k => k.kid === header.kid);
if (!jwk) { console.log('no key for kid ' + header.kid); process.exit(1); }
const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
const signature = Buffer.from(parts[2], 'base64url');
// base64url decoding in Node is lenient: a changed character that decodes to
// the same bytes must still be caught, so the text is re-encoded and compared
if (signature.toString('base64url') !== parts[2]) { console.log('signature is not canonical base64url'); process.exit(1); }
const ok = verify(null, Buffer.from(parts[0] + '.' + parts[1], 'ascii'), key, signature);
if (!ok) { console.log('signature does not verify'); process.exit(1); }
const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
if (!payload.type.includes('OpenBadgeCredential')) { console.log('not an OpenBadgeCredential'); process.exit(1); }
console.log('valid');
