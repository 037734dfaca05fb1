import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
ed.hashes.sha512 = sha512;
export function verify(signature, message, publicKey) {
  return ed.verify(signature, message, publicKey, { zip215: false });
}
