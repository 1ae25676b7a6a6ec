/**
 * Comparison whose duration does not depend on where two values differ
 * (cookie-signature's fail-early `==` allowed a timing attack).
 * @module
 */

/** True when both byte arrays are equal; the time taken depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
