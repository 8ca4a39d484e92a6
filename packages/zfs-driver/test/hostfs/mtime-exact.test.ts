// Times set through the host tree land on the exact millisecond on disk (they were 0.5 ms late),
// and read back as the same integer milliseconds.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { hostFileTree } from '../../src/index.js'
import { ok, sandbox } from './helpers.js'

// Property: for any integer millisecond time, before or after 1970, the file's time on disk is exactly that time.
it('utimes and writeFile set the exact millisecond, negative times included', async () => {
  const sb = sandbox()
  try {
    const tree = hostFileTree(sb.root, { readOnly: false })
    await ok(tree.writeFile('f', Buffer.from('x'), { mtimeMs: 1_700_000_000_123 }))
    expect(statSync(join(sb.root, 'f'), { bigint: true }).mtimeNs).toBe(1_700_000_000_123n * 1_000_000n)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }), async (ms) => {
        await ok(tree.utimes('f', ms))
        expect(statSync(join(sb.root, 'f'), { bigint: true }).mtimeNs).toBe(BigInt(ms) * 1_000_000n)
        expect((await ok(tree.lstat('f'))).mtimeMs).toBe(ms)
      }),
      { numRuns: 300, seed: 20261201 },
    )
  } finally {
    sb.dispose()
  }
})
