import { describe, expect, it } from 'vitest'
import { downloadsAhead } from '../../src/registry/ahead.js'

/** A fake blob source: records when each blob's download starts and whether it was stopped. */
const fake = () => {
  const log: string[] = []
  const open = (i: number): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      log.push(`start ${i}`)
      try {
        for (let k = 0; k < 3; k++) yield new Uint8Array([i, k])
      } finally {
        log.push(`end ${i}`)
      }
    },
  })
  return { log, open }
}

const drain = async (s: AsyncIterable<Uint8Array>): Promise<number[][]> => {
  const out: number[][] = []
  for await (const c of s) out.push([...c])
  return out
}

describe('downloads ahead', () => {
  it('reading a planned layer starts the next planned one, never a layer left out of the plan', async () => {
    const { log, open } = fake()
    const src = downloadsAhead(open)
    src.willRead([0, 2])
    const zero = src.open(0)
    src.open(1) // stored already: opened by the extract loop, never read
    expect(log).toEqual([])
    expect(await drain(zero)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
    ])
    expect(log).toContain('start 2')
    expect(log).not.toContain('start 1')
    expect(await drain(src.open(2))).toEqual([
      [2, 0],
      [2, 1],
      [2, 2],
    ])
    expect(log.filter((l) => l === 'start 2')).toHaveLength(1)
  })

  it('close stops a download started ahead and never read', async () => {
    const { log, open } = fake()
    const src = downloadsAhead(open)
    src.willRead([0, 1])
    await drain(src.open(0))
    await src.close()
    expect(log).toEqual(['start 0', 'start 1', 'end 0', 'end 1'])
  })
})
