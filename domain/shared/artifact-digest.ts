/** Content digests of model artifacts and datasets: `sha256:` followed by 64 lowercase hex digits. */
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

export type Sha256Digest = string;

export function isSha256Digest(value: unknown): value is Sha256Digest {
  return typeof value === 'string' && SHA256_DIGEST.test(value);
}
