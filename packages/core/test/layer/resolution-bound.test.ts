// A bound on resolution work per layer: a small tar of deep names cannot buy unbounded CPU (LimitExceeded naming the entry).
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { applyLayer, DEFAULT_APPLY_LIMITS } from '@stratum/core'
import { SIM_CAPABILITIES } from '@stratum/sim-driver'
import { END, entry, pax, simTree } from './raw-tar.js'

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b
}
const deep = (depth: number, leaf: string, dir = 'a'): string => `${`${dir}/`.repeat(depth)}${leaf}`
const tarOf = (names: readonly string[]): Buffer =>
  Buffer.concat([...names.flatMap((n) => [pax('x', [['path', n]]), entry({ name: 'x' })]), END])

describe('resolution work per layer', () => {
  it('deep entries stop with LimitExceeded naming the entry that crossed the bound', async () => {
    const { tree } = await simTree()
    // two chains in turn, so no entry has the previous one's parent: the first entry looks up and creates
    // 300 nested directories (~91k components), the second as many in the other chain
    const names = Array.from({ length: 1000 }, (_, i) => deep(300, `f${i}`, i % 2 === 0 ? 'a' : 'b'))
    const r = await applyLayer(tree, once(tarOf(names)), {
      capabilities: SIM_CAPABILITIES,
      limits: { maxResolveSteps: 100_000 },
    })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'LimitExceeded', limit: 100_000, entry: names[1] } })
  })

  it('an ordinary layer stays far below the default bound', async () => {
    const { tree } = await simTree()
    const names = Array.from({ length: 300 }, (_, i) => `usr/lib/node_modules/p${i % 50}/lib/sub/f${i}.js`)
    const r = await applyLayer(tree, once(tarOf(names)), {
      capabilities: SIM_CAPABILITIES,
      limits: { maxResolveSteps: DEFAULT_APPLY_LIMITS.maxResolveSteps / 1000 },
    })()
    expect(E.isRight(r)).toBe(true)
  })
})
