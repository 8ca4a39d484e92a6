// Progress bars are drawn only on a terminal and never with --json; the output on stdout is the same either way.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { buildTar } from '../src/demo/tar.js'
import { captureIo, type Io } from '../src/io.js'
import { main } from '../src/main.js'
import { tempDir } from './helpers.js'

/** A fake terminal that records what is drawn on it. */
const fakeTty = (): { stream: NodeJS.WritableStream; drawn: () => string } => {
  let drawn = ''
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      drawn += chunk.toString()
      cb()
    },
  })
  Object.assign(w, { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  return { stream: w, drawn: () => drawn }
}

describe('progress', () => {
  it('draws a byte bar for extract-layer on a terminal', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'l.tar'), buildTar([{ path: 'big', body: 'x'.repeat(100_000) }]))
    const tty = fakeTty()
    const io: Io = { ...captureIo({ cwd: dir }), progress: tty.stream }
    const cap = io as ReturnType<typeof captureIo>
    expect(await main(['--state', join(dir, 's'), 'extract-layer', 'empty', join(dir, 'l.tar')], io)).toBe(0)
    expect(tty.drawn()).toMatch(/extract-layer \[.*\] 0% 0\/101888 bytes/)
    expect(tty.drawn()).toMatch(/extract-layer \[.*\] 100% 101888\/101888 bytes/)
    expect(cap.out()).toMatch(/^sha256:[0-9a-f]{64}\n$/)
  })

  it('draws nothing with --json, even on a terminal', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'l.tar'), buildTar([{ path: 'big', body: 'x'.repeat(100_000) }]))
    const tty = fakeTty()
    const io: Io = { ...captureIo({ cwd: dir }), progress: tty.stream }
    expect(await main(['--json', '--state', join(dir, 's'), 'extract-layer', 'empty', join(dir, 'l.tar')], io)).toBe(0)
    expect(tty.drawn()).toBe('')
  })
})

describe('progress of extract', () => {
  it('reaches the total bytes of the blobs, also when layers are reused', async () => {
    const { writeImage } = await import('./helpers.js')
    const dir = await tempDir()
    const img = join(dir, 'img')
    await writeImage(img, 'v1', [[{ path: 'a', body: 'x'.repeat(50_000) }], [{ path: 'b', body: 'y'.repeat(50_000) }]])
    for (const _round of [1, 2]) {
      // extracted, then reused
      const tty = fakeTty()
      const io: Io = { ...captureIo({ cwd: dir }), progress: tty.stream }
      expect(await main(['--state', join(dir, 's'), 'extract', `${img}:v1`], io)).toBe(0)
      const totals = [...tty.drawn().matchAll(/(\d+)\/(\d+) bytes/g)].map((m) => [Number(m[1]), Number(m[2])])
      const last = totals.at(-1)!
      expect(last[0]).toBe(last[1])
      expect(last[1]).toBeGreaterThan(0)
    }
  })
})
