// The tar fuzz property (conformance, layers/tar-fuzz.ts) on the host file tree in a temp directory: every run settles, typed, and the host outside the root is untouched.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { budgetFromEnv } from '@stratum/conformance'
import { fuzzApply } from '../../../conformance/src/layers/tar-fuzz.js'
import { fuzzTarArb } from '../../../conformance/src/layers/tar-fuzz-gen.js'
import { hostFileTree, xattrSupport } from '../../src/index.js'
import { sandbox } from './helpers.js'

const root = process.getuid?.() === 0

it('random and mutated tars through applyLayer on the host tree settle with Right or a typed Left; nothing outside the root changes', async () => {
  const sb = sandbox()
  try {
    const tree = hostFileTree(sb.root, { readOnly: false })
    const caps = {
      xattrs: xattrSupport(),
      deviceNodes: false,
      chown: root,
      mountpointDirectories: true,
      hostPaths: true,
    }
    const { runs, seed } = budgetFromEnv().tarFuzz
    await fc.assert(
      fc.asyncProperty(fuzzTarArb(), async ({ tar }) => {
        await fuzzApply(tree, tar, caps)
        expect(readdirSync(sb.outside)).toEqual(['secret'])
        expect(readFileSync(join(sb.outside, 'secret'), 'utf8')).toBe('host secret')
        expect(readdirSync(join(sb.root, '..')).sort()).toEqual(['outside', 'root'])
      }),
      { numRuns: Math.max(1, Math.round(runs / 2)), seed, endOnFailure: true },
    )
  } finally {
    sb.dispose()
  }
})
