/**
 * packageLayer benchmark: packaging cost must follow the number of changes, not the tree size.
 *
 * Run from the repository root:
 *   npx tsx --conditions=@stratum/source bench/package-layer.ts
 *
 * On the simulator, builds a parent with 1k files and one with 100k files (100 files per
 * directory in both, so the changed directories have the same size), clones each, makes the
 * same 10 changes (5 rewritten files, 3 added, 2 removed, spread over 10 directories),
 * snapshots, and times packageLayer(parent, layer) fully drained. Prints both times and the
 * ratio large / small, measured in the same run: the target is within 2x.
 */
import { performance } from 'node:perf_hooks'
import { datasetName, packageLayer, snapshotName } from '../packages/core/src/index.js'
import { unwrap as ok } from '../packages/core/src/testing.js'
import { createSimDriver, type SimDriver } from '../packages/sim-driver/src/index.js'

const PER_DIR = 100
const REPEATS = 300

const setup = async (files: number): Promise<{ d: SimDriver; bytes: number }> => {
  const d = createSimDriver()
  await ok(d.create(datasetName('testpool/p')))
  const t = await ok(d.fs(datasetName('testpool/p')))
  const payload = new Uint8Array(64)
  for (let i = 0; i < files; i++) {
    const dir = `d${Math.floor(i / PER_DIR)}`
    if (i % PER_DIR === 0) await ok(t.mkdir(dir))
    await ok(t.writeFile(`${dir}/f${i}`, payload))
  }
  await ok(d.snapshot(snapshotName('testpool/p@s')))
  await ok(d.clone(snapshotName('testpool/p@s'), datasetName('testpool/l')))
  const l = await ok(d.fs(datasetName('testpool/l')))
  const dirs = files / PER_DIR
  for (let i = 0; i < 10; i++) {
    const dir = Math.floor((i * dirs) / 10)
    const f = dir * PER_DIR + 1
    if (i < 5) await ok(l.writeFile(`d${dir}/f${f}`, new Uint8Array([i]), { flag: 'truncate' }))
    else if (i < 8) await ok(l.writeFile(`d${dir}/new${i}`, new Uint8Array([i])))
    else await ok(l.unlink(`d${dir}/f${f}`))
  }
  await ok(d.snapshot(snapshotName('testpool/l@s')))
  const bytes = await drain(d)
  return { d, bytes }
}

const drain = async (d: SimDriver): Promise<number> => {
  let n = 0
  for await (const c of await ok(packageLayer(d, snapshotName('testpool/p@s'), snapshotName('testpool/l@s'))))
    n += c.byteLength
  return n
}

const time = async (d: SimDriver): Promise<number> => {
  for (let i = 0; i < 20; i++) await drain(d) // warm up
  const t0 = performance.now()
  for (let i = 0; i < REPEATS; i++) await drain(d)
  return (performance.now() - t0) / REPEATS
}

const small = await setup(1_000)
const large = await setup(100_000)
if (small.bytes !== large.bytes)
  console.log(`note: tar sizes differ (${small.bytes} vs ${large.bytes} bytes): file names differ in length`)
const [ts, tl] = [await time(small.d), await time(large.d)]
console.log(`packageLayer, 10 changes:   1k-file layer ${ts.toFixed(3)} ms   100k-file layer ${tl.toFixed(3)} ms`)
console.log(`ratio 100k / 1k: ${(tl / ts).toFixed(2)}x (target: within 2x)`)
