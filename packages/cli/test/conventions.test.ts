// The CLI's conventions: --version, help with an Arguments section, the terminal restored on Ctrl-C.
import { EventEmitter } from 'node:events'
import { readFile } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { captureIo } from '../src/io.js'
import { main } from '../src/main.js'
import { startProgress } from '../src/progress.js'

const run = async (...argv: string[]): Promise<{ code: number; out: string }> => {
  const io = captureIo({ cwd: '/' })
  const code = await main(argv, io)
  return { code, out: io.out() }
}

describe('stratum --version', () => {
  it("prints the package's version and exits 0", async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(await run('--version')).toEqual({ code: 0, out: `${pkg.version}\n` })
    expect(await run('-V')).toEqual({ code: 0, out: `${pkg.version}\n` })
  })
})

describe('help', () => {
  it('describes every argument of every command in an Arguments section', async () => {
    const top = (await run('--help')).out
    const names = [...top.slice(top.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*) /gm)]
      .map((m) => m[1]!)
      .filter((n) => n !== 'help')
    expect(names.length).toBeGreaterThanOrEqual(12)
    for (const name of names) {
      const help = await run(name, '--help')
      expect(help.code).toBe(0)
      const usage = /^Usage: stratum \S+ (.*)$/m.exec(help.out)?.[1] ?? ''
      const args = [...usage.matchAll(/<([a-z-]+)>/g)].map((m) => m[1]!)
      if (args.length === 0) continue
      const section = help.out.slice(help.out.indexOf('Arguments:'))
      expect(help.out, name).toContain('Arguments:')
      for (const a of args) expect(section, `${name} <${a}>`).toMatch(new RegExp(`^ {2}${a} +\\S`, 'm'))
    }
  })
})

describe('Ctrl-C while a bar is drawn', () => {
  it('shows the cursor again, then exits 130; a stopped bar leaves SIGINT alone', () => {
    let drawn = ''
    const tty = new Writable({
      write(chunk: Buffer, _enc, cb) {
        drawn += chunk.toString()
        cb()
      },
    })
    Object.assign(tty, {
      isTTY: true,
      columns: 100,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    })
    const exits: number[] = []
    const target = new EventEmitter()
    const bar = startProgress(tty, 'extract', 'bytes', 100, { target, exit: (c) => exits.push(c) })
    bar.add(10)
    expect(drawn).toContain('\x1b[?25l')
    expect(drawn).not.toContain('\x1b[?25h')
    target.emit('SIGINT')
    expect(drawn.indexOf('\x1b[?25h')).toBeGreaterThan(drawn.indexOf('\x1b[?25l'))
    expect(exits).toEqual([130])
    expect(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM')).toBe(0)
    const again = startProgress(tty, 'extract', 'bytes', 100, { target, exit: (c) => exits.push(c) })
    again.stop()
    target.emit('SIGTERM')
    expect(exits).toEqual([130])
    expect(target.listenerCount('SIGTERM')).toBe(0)
  })
})
