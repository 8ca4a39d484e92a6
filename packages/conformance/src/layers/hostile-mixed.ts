/** A property mixing legal and hostile entries: after every apply, accepted or refused, the invariants hold. */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { checkProperty } from '../property/config.js'
import { dsn, fsOf } from '../checks/util.js'
import { applyEntries, dumpTree, type FixtureEntry, hostileBed, layerRuns } from './apply-tar.js'
import { must } from './package-fixtures.js'

const names = [
  'a',
  'a/b',
  'c/d',
  '/etc/passwd',
  '/x',
  '../x',
  'a/../../x',
  './c/./e',
  'l',
  'l/x',
  'l/passwd',
  'l/y/z',
  's/x',
  'c/.wh.d',
  'a/.wh.b',
  '.wh..wh..opq',
  'l/.wh.passwd',
  'a/.wh...',
  '.wh.l',
  '',
  '.',
  'tmp/x',
  'a\u0000b',
]
const targets = ['/', '/etc', '../../..', '../../../tmp', 'l', 'a', 's', '/nonexistent/dir', 'a/b']
const links = ['/etc/passwd', '../../etc/shadow', 'a', 'a/b', 'l', 'l/passwd', 'x', 'c', '/x']

const entryArb: fc.Arbitrary<FixtureEntry> = fc.oneof(
  fc.record({ name: fc.constantFrom(...names), body: fc.constantFrom('', 'evil', 'data') }),
  fc.record({
    name: fc.constantFrom(...names),
    type: fc.constant('directory' as const),
    mode: fc.constantFrom(0, 0o755, 0o4777),
  }),
  fc.record({
    name: fc.constantFrom(...names),
    type: fc.constant('symlink' as const),
    linkname: fc.constantFrom(...targets),
  }),
  fc.record({
    name: fc.constantFrom(...names),
    type: fc.constant('link' as const),
    linkname: fc.constantFrom(...links),
  }),
)

export const hostileMixedChecks = (ctx: SuiteContext, opts: { numRuns?: number } = {}): void => {
  describe('layer hostile vectors: mixed', () => {
    // Property: after applying any mix of legal and hostile entries, the outside sentinel is unchanged, the root is a directory, no whiteout file is in the tree, and a refusal is a typed UnsafePath naming an entry of the tar.
    it('any mix of legal and hostile entries keeps U1, U3, U5 and W7', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const bed = await hostileBed(ctx, driver, base, (x, y) => expect(x).toEqual(y))
        let n = 0
        await checkProperty(
          fc.asyncProperty(
            fc.array(fc.array(entryArb, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
            async (layers) => {
              const root = dsn(base, `m${n++}`)
              await must(driver.create(root), 'create')
              const tree = await fsOf(driver, root)
              for (const entries of layers) {
                const r = await applyEntries(tree, entries, driver.capabilities)
                if (E.isLeft(r)) {
                  expect(r.left._tag).toBe('UnsafePath')
                  expect(entries.map((e) => e.name)).toContain((r.left as { entry: string }).entry)
                }
                await bed.invariants()
                expect((await must(tree.lstat(''), 'lstat root')).type).toBe('/')
                expect(
                  Object.keys(await dumpTree(tree)).filter((p) => p.split('/').some((c) => c.startsWith('.wh.'))),
                ).toEqual([])
              }
            },
          ),
          layerRuns(ctx.budget.property, opts.numRuns, 5),
        )
      }))
  })
}
