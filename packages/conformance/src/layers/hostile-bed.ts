/** The shared shape of a hostile-vector check: a fresh bed, the vector, then the invariants U1 and U3. */
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'
import type { FileTree, Stat } from '@stratum/core'
import type { SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { hostileBed, type HostileBed } from './apply-tar.js'

/** A test body run on a fresh hostile bed; the invariants are checked after it, whatever it did. */
export const withBed = (ctx: SuiteContext, body: (b: HostileBed, f: Fixture) => Promise<void>) => () =>
  ctx.withFixture(async (f) => {
    const b = await hostileBed(ctx, f.driver, f.base, (x, y) => expect(x).toEqual(y))
    await body(b, f)
    await b.invariants()
  })

/** lstat that must succeed. */
export const stat = async (t: FileTree, p: string): Promise<Stat> => {
  const r = await t.lstat(p)()
  if (E.isLeft(r)) throw new Error(`lstat ${p}: ${r.left._tag}`)
  return r.right
}
