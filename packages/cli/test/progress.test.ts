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
    // human units, the rate and an ETA; 101,888 bytes are 99.5 KiB
    expect(tty.drawn()).toMatch(/extract-layer \[.*\] 0% 0 B\/99\.5 KiB 0 B\/s ETA \S+/)
    expect(tty.drawn()).toMatch(/extract-layer \[.*\] 100% 99\.5 KiB\/99\.5 KiB \d[\d.]* [KMG]?i?B\/s ETA 0s 1 entry/)
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
  it('draws a bar per layer labelled with its place and digest that reaches its total; a reused layer says so', async () => {
    const { writeImage } = await import('./helpers.js')
    const dir = await tempDir()
    const img = join(dir, 'img')
    await writeImage(img, 'v1', [[{ path: 'a', body: 'x'.repeat(50_000) }], [{ path: 'b', body: 'y'.repeat(50_000) }]])
    for (const _round of [1, 2]) {
      // extracted, then reused
      const tty = fakeTty()
      const io: Io = { ...captureIo({ cwd: dir }), progress: tty.stream }
      expect(await main(['--state', join(dir, 's'), 'extract', `${img}:v1`], io)).toBe(0)
      for (const i of [1, 2]) {
        const lines = [
          ...tty
            .drawn()
            .matchAll(new RegExp(`extract ${i}/2 sha256:[0-9a-f]{12} \\[[^\\]]*\\] (\\d+)% ([^\\x1b]*)`, 'g')),
        ]
        expect(lines.length, `layer ${i}`).toBeGreaterThan(0)
        const [, percent, rest] = lines.at(-1)!
        expect(percent).toBe('100')
        if (_round === 2) expect(rest).toMatch(/ reused$/)
        else expect(rest).toMatch(/ 1 entry$/)
      }
    }
  })
})
