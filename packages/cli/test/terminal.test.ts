// The CLI on a real pseudo-terminal (tmux): the progress bar as the screen shows it, Ctrl-C mid-extract, the cursor afterwards.
import { execFile, execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { datasetName, layerBlob, writeImageLayout } from '@stratum/core'
import { openSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import { buildTar, type TarSpec } from '../src/demo/tar.js'
import { BIN, jsonAt, tempDir } from './helpers.js'

const exec = promisify(execFile)
const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!hasTmux) console.log('terminal.test: SKIPPED: tmux is not installed (apt-get install -y tmux); CI installs it')

/**
 * A tmux server of its own (socket in `dir`), one 160x30 window running `argv` under bash, which
 * then prints `exit <code>` and stays (tmux hides the cursor of a dead pane); bash's no-op INT
 * trap keeps it alive through Ctrl-C, and is reset to the default in the command it runs.
 */
const tmuxIn = (dir: string) => {
  const socket = join(dir, 'tmux.sock')
  const tmux = async (...args: string[]): Promise<string> => (await exec('tmux', ['-S', socket, ...args])).stdout
  return {
    start: (...argv: string[]) =>
      tmux(
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-x',
        '160',
        '-y',
        '30',
        '-s',
        't',
        'bash',
        '-c',
        'trap : INT; "$@"; echo "exit $?"; exec sleep 60',
        'bash',
        ...argv,
      ),
    screen: () => tmux('capture-pane', '-p', '-t', 't'),
    keys: (...keys: string[]) => tmux('send-keys', '-t', 't', ...keys),
    show: (format: string) => tmux('display', '-p', '-t', 't', format),
    kill: () => tmux('kill-server').catch(() => ''),
  }
}

/** Polls `get` every 50 ms until `ok` holds of its result (then returns it), failing after `ms`. */
const until = async (
  get: () => Promise<string>,
  ok: (s: string) => boolean,
  ms: number,
  what: string,
): Promise<string> => {
  const end = Date.now() + ms
  for (;;) {
    const s = await get()
    if (ok(s)) return s
    if (Date.now() > end) throw new Error(`${what} not seen within ${ms} ms; the screen:\n${s}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** `n` files of 1 MiB under `dir`: 64 make a layer that takes the simulator about half a second. */
const files = (dir: string, n: number): TarSpec[] =>
  Array.from({ length: n }, (_, i) => ({ path: `${dir}/f${i}`, body: dir.repeat(1 << 20) }))

describe.runIf(hasTmux)('stratum on a terminal (tmux)', () => {
  it('draws a labelled bar; Ctrl-C mid-extract exits 130, undoes the layer, records no image, shows the cursor', async () => {
    const dir = await tempDir()
    const img = join(dir, 'img')
    // layer 3 also carries 20,000 small files: seconds of apply whatever the disk's speed, so Ctrl-C lands mid-extract
    const small = Array.from({ length: 20_000 }, (_, i) => ({ path: `c/s${i}`, body: 'small\n' }))
    const layers = [files('a', 1), files('b', 64), [...files('c', 64), ...small]].map((l) =>
      layerBlob(buildTar(l), 'none'),
    )
    const written = await writeImageLayout(img, 'v1', layers)()
    if (written._tag === 'Left') throw new Error(JSON.stringify(written.left))
    const state = join(dir, 'state')
    const t = tmuxIn(dir)
    try {
      await t.start(process.execPath, BIN, '--state', state, 'extract', `${img}:v1`)
      const bar = await until(t.screen, (s) => /extract 2\/3 .*\] +[1-9]\d?% /.test(s), 15_000, 'layer 2 bar')
      expect(bar).toMatch(
        /^extract 2\/3 sha256:[0-9a-f]{12} \[[█░]+\] +\d+% [\d.]+ (B|KiB|MiB)\/64\.\d MiB [\d.]+ (B|KiB|MiB)\/s ETA \d+s/m,
      )
      expect(bar).toMatch(/^extract 1\/3 sha256:[0-9a-f]{12} \[█+\] 100% /m)
      // Ctrl-C while layer 2 (or, on a fast machine, layer 3) is applied: both are mid-extract
      await t.keys('C-c')
      const after = await until(t.screen, (s) => /^exit \d+$/m.test(s), 10_000, 'the exit')
      expect(after).toMatch(/^stratum: Cancelled: extract of sha256:[0-9a-f]{64}\nexit 130$/m)
      expect((await t.show('#{cursor_flag}')).trim()).toBe('1')
    } finally {
      await t.kill()
    }
    // read without opening the store (which would recover): the command undid its own work
    const sim = await openSimDriver({ stateFile: state, pools: ['stratum'] })()
    if (sim._tag === 'Left') throw new Error(JSON.stringify(sim.left))
    const tmp = await sim.right.list(datasetName('stratum/tmp'))()
    expect(tmp._tag === 'Right' && tmp.right.map((d) => d.name)).toEqual(['stratum/tmp'])
    expect(await jsonAt(dir)('ls', 'images')).toEqual({ images: [] })
    const top = written.right.chainIds.at(-1)
    expect(
      (await jsonAt(dir)<{ layers: { chainId: string }[] }>('ls', 'layers')).layers.map((l) => l.chainId),
    ).not.toContain(top)
  }, 30_000)
})
