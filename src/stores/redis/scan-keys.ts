/**
 * The SCAN walk both links to Redis (node-redis, ioredis) make: every node in
 * turn, cursor after cursor until the node answers cursor `0`.
 *
 * @module
 */

/** Keys per SCAN step unless told otherwise (a hint: Redis may answer a few more or fewer). */
export const SCAN_COUNT = 1_000;

/**
 * Batches of the keys of `type` matching `pattern` on each of `nodes`, one
 * batch a SCAN step (empty steps yield nothing); `sendScan` sends the
 * command's arguments to one node and answers its `[cursor, keys]` reply.
 */
export async function* scanKeys<Node>(
  nodes: readonly Node[],
  { pattern, type, count }: { pattern: string; type: 'hash' | 'set'; count: number },
  sendScan: (node: Node, args: string[]) => Promise<unknown>,
): AsyncGenerator<string[]> {
  for (const node of nodes) {
    let cursor = '0';
    do {
      const reply = await sendScan(node, [
        'SCAN',
        cursor,
        'MATCH',
        pattern,
        'COUNT',
        String(count),
        'TYPE',
        type,
      ]);
      const [next, keys] = reply as [unknown, unknown[]];
      cursor = String(next);
      if (keys.length > 0) yield keys.map(String);
    } while (cursor !== '0');
  }
}
