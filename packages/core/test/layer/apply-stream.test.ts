import * as E from 'fp-ts/lib/Either.js'
import * as tar from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { applyLayer, datasetName, type Content, type FileTree } from '@stratum/core'
import { createSimDriver, SIM_CAPABILITIES } from '@stratum/sim-driver'

const tarOf = async (entries: { name: string; body: Buffer }[]): Promise<Buffer> => {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = new Promise<void>((resolve) => {
    pack.on('data', (c: unknown) => {
      chunks.push(c as Buffer)
    })
    pack.on('end', () => resolve())
  })
  for (const e of entries) pack.entry({ name: e.name, mtime: new Date(0) }, e.body)
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

const simTree = async (): Promise<FileTree> => {
  const d = createSimDriver()
  await d.create(datasetName('testpool/t'))()
  const t = await d.fs(datasetName('testpool/t'))()
  if (E.isLeft(t)) throw new Error('fs')
  return t.right
}

/** A tree that records, for every writeFile, whether the content came as a stream and in how many chunks. */
const recording = (t: FileTree, log: { path: string; streamed: boolean; chunks: number }[]): FileTree => ({
  ...t,
  writeFile: (p, content: Content, opts) => {
    if (content instanceof Uint8Array) {
      log.push({ path: p, streamed: false, chunks: 1 })
      return t.writeFile(p, content, opts)
    }
    const rec = { path: p, streamed: true, chunks: 0 }
    log.push(rec)
    const counted = async function* () {
      for await (const c of content) {
        rec.chunks++
        yield c
      }
    }
    return t.writeFile(p, counted(), opts)
  },
})

async function* chunked(b: Buffer, size: number, onClose?: () => void): AsyncGenerator<Uint8Array> {
  try {
    for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size)
  } finally {
    onClose?.()
  }
}

describe('applyLayer streams', () => {
  it('file contents reach the tree as a stream of chunks, never as one buffered file', async () => {
    const log: { path: string; streamed: boolean; chunks: number }[] = []
    const bytes = await tarOf([{ name: 'big', body: Buffer.alloc(1 << 20, 7) }])
    const r = await applyLayer(recording(await simTree(), log), chunked(bytes, 64 * 1024), {
      capabilities: SIM_CAPABILITIES,
    })()
    expect(r).toEqual(E.right({ entries: 1, bytes: 1 << 20 }))
    expect(log).toHaveLength(1)
    expect(log[0]!.streamed).toBe(true)
    expect(log[0]!.chunks).toBeGreaterThanOrEqual(16)
  })

  it('a file whose data the reader already holds reaches the tree in one piece, its bytes exact; one split across input chunks is streamed', async () => {
    const log: { path: string; streamed: boolean; chunks: number }[] = []
    const small = Buffer.from('small file\n')
    const split = Buffer.alloc(3000, 5)
    const bytes = await tarOf([
      { name: 'a', body: small },
      { name: 'b', body: split },
    ])
    const t = await simTree()
    const r = await applyLayer(recording(t, log), chunked(bytes, 2048), { capabilities: SIM_CAPABILITIES })()
    expect(r).toEqual(E.right({ entries: 2, bytes: small.length + split.length }))
    expect(log).toEqual([
      { path: 'a', streamed: false, chunks: 1 },
      { path: 'b', streamed: true, chunks: 3 }, // bytes 1536-4536 over input chunks of 2048
    ])
    const read = async (p: string): Promise<Buffer> => {
      const s = await t.read(p)()
      if (E.isLeft(s)) throw new Error(p)
      const parts: Uint8Array[] = []
      for await (const c of s.right) parts.push(c)
      return Buffer.concat(parts)
    }
    expect(await read('a')).toEqual(small)
    expect(await read('b')).toEqual(split)
  })

  it('a file over the size limit is refused from its header, before any byte is written', async () => {
    const log: { path: string; streamed: boolean; chunks: number }[] = []
    const bytes = await tarOf([{ name: 'big', body: Buffer.alloc(100_000) }])
    const r = await applyLayer(recording(await simTree(), log), chunked(bytes, 4096), {
      capabilities: SIM_CAPABILITIES,
      limits: { maxFileBytes: 99_999 },
    })()
    expect(r).toEqual(E.left({ _tag: 'LimitExceeded', what: 'file bytes', limit: 99_999, entry: 'big' }))
    expect(log).toEqual([])
  })

  it('a refusal stops reading: the input stream is closed when applyLayer returns', async () => {
    let closed = false
    const bytes = await tarOf([
      { name: '../escape', body: Buffer.from('x') },
      { name: 'after', body: Buffer.alloc(500_000) },
    ])
    const r = await applyLayer(
      await simTree(),
      chunked(bytes, 512, () => {
        closed = true
      }),
      { capabilities: SIM_CAPABILITIES },
    )()
    expect(E.isLeft(r) && r.left._tag).toBe('UnsafePath')
    expect(closed).toBe(true)
  })

  it('an empty input is an empty layer', async () => {
    const r = await applyLayer(await simTree(), chunked(Buffer.alloc(0), 1), { capabilities: SIM_CAPABILITIES })()
    expect(r).toEqual(E.right({ entries: 0, bytes: 0 }))
  })
})
