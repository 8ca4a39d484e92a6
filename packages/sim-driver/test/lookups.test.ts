import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { keepLookups, keyOf } from '../src/lookups.js'
import { emptyObjSet, rootOf, type Alloc, type ObjSet } from '../src/objset.js'
import * as A from '../src/ops-attrs.js'
import * as W from '../src/ops-entries.js'
import { bytes } from './helpers.js'

const allocator = (): Alloc => {
  let n = 0
  return { obj: () => ++n, gen: () => n, now: () => 1 }
}

/** The same object set under another map root: nothing remembered for it. */
const unremembered = (os: ObjSet): ObjSet => ({
  objects: { root: { ...os.objects.root! }, size: os.objects.size },
  rootObj: os.rootObj,
})

const names = ['a', 'b', 'a/b', 'a/c', 'b/a', 'b/c', 'a/b/c', 'l', 'a/l', 'l/b', 'a/l/c', 'b/l/a']
const path = fc.constantFrom(...names)
const target = fc.constantFrom('a', 'b', '/a/b', '..', '../b', 'l')
const op = fc.oneof(
  fc.record({ k: fc.constant('mkdir' as const), p: path }),
  fc.record({ k: fc.constant('write' as const), p: path }),
  fc.record({ k: fc.constant('symlink' as const), p: path, t: target }),
  fc.record({ k: fc.constant('unlink' as const), p: path }),
  fc.record({ k: fc.constant('rmdir' as const), p: path }),
  fc.record({ k: fc.constant('rename' as const), p: path, q: path }),
  fc.record({ k: fc.constant('link' as const), p: path, q: path }),
)
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never

const step = (os: ObjSet, o: Op, a: Alloc): W.Step => {
  switch (o.k) {
    case 'mkdir':
      return W.mkdir(os, o.p, {}, a)
    case 'write':
      return W.writeFile(os, o.p, bytes(o.p), {}, a)
    case 'symlink':
      return W.symlink(os, o.t, o.p, {}, a)
    case 'unlink':
      return W.unlink(os, o.p, a)
    case 'rmdir':
      return W.rmdir(os, o.p, a)
    case 'rename':
      return W.rename(os, o.p, o.q, a)
    case 'link':
      return W.link(os, o.p, o.q, a)
  }
}

describe('remembered lookups', () => {
  it('resolve every path as a walk of the object map does, after any changes', () => {
    // property: lstat through the lookups a map remembers (filled by earlier reads) equals lstat without them
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const a = allocator()
        let os = emptyObjSet(a)
        for (const o of ops) {
          const next = step(os, o, a)
          if (E.isRight(next)) os = next.right
          for (const p of [...names, ...names.map((n) => `${n}/..`)]) {
            const want = A.lstat(unremembered(os), p)
            expect(A.lstat(keepLookups(os), p)).toEqual(want)
            expect(A.lstat(keepLookups(os), p)).toEqual(want)
          }
        }
      }),
      { numRuns: 200 },
    )
  })

  it('tell apart two names of one directory that share a cache key', () => {
    const a = allocator()
    let os = emptyObjSet(a)
    const root = rootOf(os).obj
    const seen = new Map<number, string>()
    let pair: [string, string] | undefined
    for (let i = 0; pair === undefined; i++) {
      const name = `n${i}`
      const other = seen.get(keyOf(root, name))
      if (other !== undefined) pair = [other, name]
      seen.set(keyOf(root, name), name)
    }
    const mode = (n: string): number => (n === pair[0] ? 0o700 : 0o750)
    for (const p of [...pair, ...pair.map((n) => `${n}/x`)]) {
      const made = W.mkdir(os, p, { mode: mode(p.split('/')[0]!) }, a)
      if (E.isLeft(made)) throw new Error(made.left._tag)
      os = made.right
    }
    keepLookups(os)
    // each lstat resolves its directory through the lookups: the first fills the shared key, the next must not take it
    for (const n of [...pair, ...pair])
      expect(E.map((s: { mode: number }) => s.mode)(A.lstat(os, `${n}/x`))).toEqual(E.right(mode(n)))
  })
})
