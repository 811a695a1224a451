// vcjwt_peer.mjs — the peer of bench_credentials: the same Ed25519 VC-JWT
// work done with Node.js's built-in crypto (OpenSSL's Ed25519), in one
// process, timed inside it (start-up excluded).
//   node vcjwt_peer.mjs SEED_HEX PAYLOAD_FILE KID N
// Signs the payload as a compact JWS N times (base64url of header and
// payload, Ed25519 over "header.payload"), then verifies the resulting JWT N
// times (split, decode and parse the header, alg/kid checks, the signature,
// decode and parse the payload, its type). Prints one JSON line:
// {"sign_per_s": ..., "verify_per_s": ..., "n": N}.
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

const [seedHex, payloadFile, kid, nText] = process.argv.slice(2);
const n = Number(nText);
// PKCS#8 of an Ed25519 seed (RFC 8410): a fixed prefix and the 32 bytes
const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seedHex, 'hex')]);
const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
const pub = createPublicKey(priv);
const payload = readFileSync(payloadFile, 'utf8');
const header = JSON.stringify({ alg: 'EdDSA', typ: 'vc+jwt', kid });

let jwt = '';
let t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const signingInput = Buffer.from(header).toString('base64url') + '.' + Buffer.from(payload).toString('base64url');
  const sig = sign(null, Buffer.from(signingInput), priv);
  jwt = signingInput + '.' + sig.toString('base64url');
}
const signNs = Number(process.hrtime.bigint() - t0);

let ok = 0;
t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const parts = jwt.split('.');
  const h = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  if (h.alg !== 'EdDSA' || h.kid !== kid) continue;
  if (!verify(null, Buffer.from(parts[0] + '.' + parts[1]), pub, Buffer.from(parts[2], 'base64url'))) continue;
  const vc = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (vc.type.includes('OpenBadgeCredential')) ok++;
}
const verifyNs = Number(process.hrtime.bigint() - t0);
if (ok !== n) { console.error('peer: ' + (n - ok) + ' verifications failed'); process.exit(1); }
console.log(JSON.stringify({ sign_per_s: n / (signNs / 1e9), verify_per_s: n / (verifyNs / 1e9), n }));
