/**
 * Mount holds survive their holder's SIGKILL until recovery: a child process holds a container
 * mounted (its own owner string the holder) and is killed; the hold and the mount stay, and
 * reopening the store (it recovers) releases exactly that hold and unmounts the root.
 * Only on drivers with host paths (a mount gives one); elsewhere the check is skipped.
 */
import { datasetName, type Driver, openLayerStore, type PropertyName } from '@stratum/core'
import { expect } from 'vitest'
import { killGroup, spawnChild, waitReady } from './child-process.js'
import type { ProcessEnv } from './env.js'
import { ok } from './ok.js'

const HOLDERS = 'stratum:holders' as PropertyName

const holdersOf = async (d: Driver, c: ReturnType<typeof datasetName>): Promise<string[]> =>
  ((await ok(d.getProperty(c, HOLDERS), `holders of ${c}`))?.value ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t')[0]!)

/** Runs the check; `skip` when the driver has no host paths. */
export const deadHolderCheck = async (env: ProcessEnv, skip: () => void): Promise<void> => {
  const { opts, settings } = env
  const spec = opts.driverSpec('mount', env.workDir())
  const base = datasetName(opts.base('mount'))
  const d = await ok(opts.openDriver(spec), 'open driver')
  if (!d.capabilities.hostPaths) return skip()
  const s = await ok(openLayerStore(d, base), 'open store')
  await ok(s.start('held', 'empty'), 'start held')
  const c = datasetName(`${s.layout.runtime}/held`)
  const child = spawnChild(opts.childScript, ['mount', spec, base, env.layoutDir(), 'held'])
  env.children.push(child)
  await waitReady(child, settings.readyMs)
  expect(child.out()).toMatch(/^ready \/\S/)
  const [holder] = await holdersOf(d, c)
  expect(holder, 'the child holds it under its owner string').toMatch(new RegExp(`/${child.proc.pid}/`))
  await killGroup(child, settings.goneMs, false)
  expect(child.proc.signalCode, `child stderr: ${child.err()}`).toBe('SIGKILL')
  // a dead holder's hold stays until recovery
  expect(await holdersOf(d, c)).toEqual([holder])
  expect((await ok(d.getNative(c), 'native')).mounted).toBe(true)
  const again = await ok(openLayerStore(await ok(opts.openDriver(spec), 'reopen driver'), base), 'reopen store')
  expect(again.recovered.released).toEqual([`${c} ${holder}`])
  expect(await holdersOf(d, c)).toEqual([])
  expect((await ok(d.getNative(c), 'native')).mounted).toBe(false)
}
