import { exportJWK, generateKeyPair } from 'jose';

/**
 * npm run keys:generate: a private key for TOKEN_SIGNING_KEYS. To rotate, put the new key
 * first and keep the old one listed until the tokens it signed have expired (15 minutes).
 */
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const kid = `api-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
console.log(JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }] }));
