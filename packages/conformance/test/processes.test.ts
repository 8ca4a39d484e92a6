/** The process plumbing of the process checks: kills, and the commands a killed child started. */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { budgetFromEnv } from '../src/index.js'

const killSettings = (env: Record<string, string>) => budgetFromEnv(env).kill
import { type Child, killGroup, reap, spawnChild, waitReady } from '../src/processes/child-process.js'
import { groupAlive } from '../src/processes/process-group.js'

const script = join(import.meta.dirname, 'fixtures', 'orphan-child.ts')
const children: Child[] = []
const start = async (): Promise<{ child: Child; marker: string; dir: string }> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-orphan-'))
  const marker = join(dir, 'marker')
  const child = spawnChild(script, [marker])
  children.push(child)
  await waitReady(child, 60_000)
  return { child, marker, dir }
}
afterEach(async () => {
  await reap(children.splice(0), 10_000)
})

describe('killing a child store process', () => {
  it('by default only the process dies: the command it started finishes its change before the kill resolves', async () => {
    const { child, marker, dir } = await start()
    await killGroup(child, 10_000, false)
    expect(child.proc.signalCode).toBe('SIGKILL')
    expect(groupAlive(child.proc.pid!)).toBe(false)
    expect(existsSync(marker)).toBe(true)
    await rm(dir, { recursive: true, force: true })
  })

  it('with commands, the command dies with it and never makes its change', async () => {
    const { child, marker, dir } = await start()
    await killGroup(child, 10_000, true)
    expect(groupAlive(child.proc.pid!)).toBe(false)
    expect(existsSync(marker)).toBe(false)
    await rm(dir, { recursive: true, force: true })
  })
})

describe('STRATUM_KILL_* settings', () => {
  it('defaults: 4 runs, 4 extractors, the windows of the simulator checks, only the process killed', () => {
    const s = killSettings({})
    expect(s).toMatchObject({
      runs: 4,
      extractors: 4,
      readyMs: 60_000,
      killDelayMs: [20, 320],
      victimDelayMs: [0, 200],
      killCommands: false,
    })
  })

  it('the scale stretches time bounds and, unless set apart, the kill delays; extractors stay within 2-4', () => {
    const s = killSettings({ STRATUM_KILL_SCALE: '20', STRATUM_KILL_EXTRACTORS: '9', STRATUM_KILL_COMMANDS: '1' })
    expect(s).toMatchObject({ readyMs: 1_200_000, killDelayMs: [400, 6400], extractors: 4, killCommands: true })
    const t = killSettings({
      STRATUM_KILL_SCALE: '20',
      STRATUM_KILL_DELAY_SCALE: '50',
      STRATUM_KILL_EXTRACTORS: '1',
      STRATUM_KILL_RUNS: '2',
    })
    expect(t).toMatchObject({
      readyMs: 1_200_000,
      killDelayMs: [1000, 16_000],
      victimDelayMs: [0, 10_000],
      extractors: 2,
      runs: 2,
    })
    expect(t.killTestMs).toBeGreaterThan(2 * (t.readyMs + t.killDelayMs[1]))
  })
})
