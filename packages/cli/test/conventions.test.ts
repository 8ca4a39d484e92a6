// The CLI's conventions: --version, help with Arguments, Examples and exit codes, the terminal restored and the work undone on Ctrl-C.
import { EventEmitter } from 'node:events'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { datasetName } from '@stratum/core'
import { openSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { captureIo } from '../src/io.js'
import { EXIT_CODES, exitCodesHelp } from '../src/help.js'
import { buildProgram, main } from '../src/main.js'
import { startProgress } from '../src/progress.js'
import { tempDir, writeImage } from './helpers.js'

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
  const registered = buildProgram(captureIo({ cwd: '/' }), async () => undefined).commands.map((c) => c.name())

  it('gives every registered command Arguments, Examples and the exit codes', async () => {
    expect(registered.length).toBeGreaterThanOrEqual(16)
    for (const name of registered) {
      const help = await run(name, '--help')
      expect(help.code, name).toBe(0)
      const usage = /^Usage: stratum \S+ (.*)$/m.exec(help.out)?.[1] ?? ''
      const args = [...usage.matchAll(/<([a-z|-]+)>|\[(?!options\])([a-z|-]+)(?:\.\.\.)?\]/g)].map((m) => m[1] ?? m[2]!)
      if (args.length > 0) {
        const section = help.out.slice(help.out.indexOf('Arguments:'))
        expect(help.out, name).toContain('Arguments:')
        for (const a of args)
          expect(section, `${name} <${a}>`).toMatch(new RegExp(`^ {2}${a.replace('|', '\\|')} +\\S`, 'm'))
      }
      const examples = help.out.slice(help.out.indexOf('\nExamples:\n'))
      expect(help.out, name).toContain('\nExamples:\n')
      expect(examples, name).toMatch(new RegExp(`^ {2}stratum (.* )?${name}\\b`, 'm'))
      expect(help.out, name).toContain(exitCodesHelp())
    }
  })

  it('lists every registered command in the top-level help, with the exit codes', async () => {
    const top = (await run('--help')).out
    for (const name of registered) expect(top).toMatch(new RegExp(`^ {2}${name}\\b`, 'm'))
    expect(top).toContain(exitCodesHelp())
  })

  it('documents the exit codes in the cli README as the help prints them', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
    for (const e of EXIT_CODES)
      expect(readme).toMatch(new RegExp(`^\\| ${e.code} +\\| ${e.meaning.replace(/[()]/g, '\\$&')} +\\|$`, 'm'))
  })
})

/** A fake terminal that records what is drawn on it; `onDraw` sees everything drawn so far. */
const fakeTty = (
  onDraw: (drawn: string) => void = () => undefined,
): { tty: NodeJS.WritableStream; drawn: () => string } => {
  let drawn = ''
  const tty = new Writable({
    write(chunk: Buffer, _enc, cb) {
      drawn += chunk.toString()
      onDraw(drawn)
      cb()
    },
  })
  Object.assign(tty, { isTTY: true, columns: 160, cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  return { tty, drawn: () => drawn }
}

describe('Ctrl-C while a bar is drawn', () => {
  it('shows the cursor again; a stopped bar leaves SIGINT alone', () => {
    const { tty, drawn } = fakeTty()
    const exits: number[] = []
    const target = new EventEmitter()
    const bar = startProgress(tty, 'extract', 'bytes', 100, { target, exit: (c) => exits.push(c) })
    bar.add(10)
    expect(drawn()).toContain('\x1b[?25l')
    expect(drawn()).not.toContain('\x1b[?25h')
    target.emit('SIGINT')
    expect(drawn().indexOf('\x1b[?25h')).toBeGreaterThan(drawn().indexOf('\x1b[?25l'))
    expect(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM')).toBe(0)
    const again = startProgress(tty, 'extract', 'bytes', 100, { target, exit: (c) => exits.push(c) })
    again.stop()
    target.emit('SIGTERM')
    expect(target.listenerCount('SIGTERM')).toBe(0)
    expect(exits).toEqual([])
  })

  it('cancels extract in the middle of layer 2: exit 130, the cursor shown, nothing left in tmp, the image not recorded', async () => {
    const dir = await tempDir()
    const img = join(dir, 'img')
    const big = (c: string) => [{ path: c, body: c.repeat(300_000) }]
    await writeImage(img, 'v1', [big('a'), big('b'), big('c')])
    const target = new EventEmitter()
    const exits: number[] = []
    let pressed = false
    const { tty, drawn } = fakeTty((d) => {
      if (pressed || !/extract 2\/3 sha256:[0-9a-f]{12} \[/.test(d)) return
      pressed = true
      target.emit('SIGINT')
    })
    const io = { ...captureIo({ cwd: dir }), progress: tty, signals: { target, exit: (c: number) => exits.push(c) } }
    const code = await main(['--state', join(dir, 's'), 'extract', `${img}:v1`], io)
    expect(io.err()).toMatch(/^stratum: Cancelled: extract of sha256:[0-9a-f]{64}\n$/)
    expect(code).toBe(130)
    expect(exits).toEqual([])
    expect(drawn().lastIndexOf('\x1b[?25h')).toBeGreaterThan(drawn().lastIndexOf('\x1b[?25l'))
    expect(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM')).toBe(0)
    const ls = captureIo({ cwd: dir })
    expect(await main(['--json', '--state', join(dir, 's'), 'ls', 'images'], ls)).toBe(0)
    expect(JSON.parse(ls.out())).toMatchObject({ images: [] })
    // read without opening the store (which would recover): the command undid its own work
    const sim = await openSimDriver({ stateFile: join(dir, 's'), pools: ['stratum'] })()
    if (sim._tag === 'Left') throw new Error(JSON.stringify(sim.left))
    const tmp = await sim.right.list(datasetName('stratum/tmp'))()
    expect(tmp).toMatchObject({ _tag: 'Right', right: [{ name: 'stratum/tmp' }] })
    expect(tmp._tag === 'Right' && tmp.right.length).toBe(1)
  })

  it('cancels export on Ctrl-C while its bar is drawn: exit 130, nothing left in the target', async () => {
    const dir = await tempDir()
    const img = join(dir, 'img')
    await writeImage(img, 'v1', [
      [
        { path: 'a', body: 'a' },
        { path: 'b', body: 'b' },
      ],
    ])
    expect(
      await main(['--state', join(dir, 's'), 'extract', `${img}:v1`, '--name', 'two'], captureIo({ cwd: dir })),
    ).toBe(0)
    const out = join(dir, 'out')
    const target = new EventEmitter()
    const { tty } = fakeTty((d) => {
      if (d.includes('export 0 entries') && target.listenerCount('SIGINT') > 0) target.emit('SIGINT')
    })
    const io = { ...captureIo({ cwd: dir }), progress: tty, signals: { target, exit: () => undefined } }
    expect(await main(['--state', join(dir, 's'), 'export', 'two', out], io)).toBe(130)
    expect(io.err()).toBe(`stratum: Cancelled: export of two to ${out}\n`)
    expect(await readdir(out)).toEqual([])
  })
})
