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
  const w = new Writable({ write(chunk: Buffer, _enc, cb) { drawn += chunk.toString(); cb() } })
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
