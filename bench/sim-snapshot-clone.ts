/**
 * Simulator benchmark: snapshot + clone must be O(1) and diff O(changes), whatever the tree size.
 *
 * Run from the repository root:
 *   npx tsx --expose-gc --conditions=@stratum/source bench/sim-snapshot-clone.ts
 * (or: node --expose-gc --conditions=@stratum/source --import tsx bench/sim-snapshot-clone.ts)
 *
 * Builds a small tree (1k files) and a large one (100k files, 100 per directory), then on each:
 * times N snapshot+clone pairs, measures the heap growth per clone (after global.gc), and times
 * a diff of 10 changed files. Prints each measurement and the ratio large / small, measured in the
 * same run: flat (about 1) means independent of the tree size.
 */
import { performance } from 'node:perf_hooks'
import { datasetName, snapshotName } from '../packages/core/src/index.js'
import { unwrap as ok } from '../packages/core/src/testing.js'
import { createSimDriver, type SimDriver } from '../packages/sim-driver/src/index.js'

const gc = (globalThis as { gc?: () => void }).gc
const heap = (): number => {
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed
}

const PER_DIR = 100
const N = 2000
const DIFF_REPEATS = 2000

interface Result {
  build: number
  snapClone: number
  bytesPerClone: number
  diff: number
}

const buildTree = async (d: SimDriver, files: number): Promise<void> => {
  const t = await ok(d.fs(datasetName('testpool/base')))
  const payload = new Uint8Array(64)
  for (let i = 0; i < files; i++) {
    const dir = `d${Math.floor(i / PER_DIR)}`
    if (i % PER_DIR === 0) await ok(t.mkdir(dir))
    await ok(t.writeFile(`${dir}/f${i}`, payload))
  }
}

const measure = async (files: number): Promise<Result> => {
  const d = createSimDriver()
  await ok(d.create(datasetName('testpool/base')))
  await ok(d.create(datasetName('testpool/clones')))
  let t0 = performance.now()
  await buildTree(d, files)
  const build = performance.now() - t0

  const before = heap()
  t0 = performance.now()
  for (let i = 0; i < N; i++) {
    const snap = snapshotName(`testpool/base@s${i}`)
    await ok(d.snapshot(snap))
    await ok(d.clone(snap, datasetName(`testpool/clones/c${i}`)))
  }
  const snapClone = (performance.now() - t0) / N
  const bytesPerClone = (heap() - before) / N

  // 10 changes after a snapshot, then diff the snapshot against the live dataset
  const t = await ok(d.fs(datasetName('testpool/base')))
  await ok(d.snapshot(snapshotName('testpool/base@d0')))
  for (let i = 0; i < 10; i++) {
    const n = Math.floor((i * files) / 10)
    await ok(t.writeFile(`d${Math.floor(n / PER_DIR)}/f${n}`, new Uint8Array([i]), { flag: 'truncate' }))
  }
  let records = 0
  t0 = performance.now()
  for (let i = 0; i < DIFF_REPEATS; i++)
    records = (await ok(d.diff(snapshotName('testpool/base@d0'), datasetName('testpool/base')))).length
  const diff = (performance.now() - t0) / DIFF_REPEATS
  if (records !== 10) throw new Error(`expected 10 diff records, got ${records}`)
  return { build, snapClone, bytesPerClone, diff }
}

const main = async (): Promise<void> => {
  if (gc === undefined) console.log('note: run with --expose-gc for the memory figures')
  await measure(1_000) // warm-up
  const small = await measure(1_000)
  const large = await measure(100_000)
  const row = (label: string, a: number, b: number, unit: string, digits = 3): void =>
    console.log(
      `${label.padEnd(28)} 1k: ${a.toFixed(digits).padStart(10)} ${unit}   100k: ${b.toFixed(digits).padStart(10)} ${unit}   ratio 100k/1k: ${(b / a).toFixed(2)}`,
    )
  console.log(`sim-driver snapshot+clone (N=${N}) and diff (10 changes, ${DIFF_REPEATS} repeats)`)
  row('build tree (ms, total)', small.build, large.build, 'ms', 0)
  row('snapshot+clone (ms each)', small.snapClone, large.snapClone, 'ms')
  row('heap per clone (bytes)', small.bytesPerClone, large.bytesPerClone, 'B ', 0)
  row('diff of 10 changes (ms)', small.diff, large.diff, 'ms')
}

void main()
