/**
 * hostFileTree benchmark: the confined walk of a deep path (LAYER-SECURITY N6: a 4,000-byte
 * path of 445 components) against the unconfined baseline, in the same run.
 *
 * Run from the repository root:
 *   npx tsx --conditions=@stratum/source bench/hostfs-deep-path.ts
 *
 * Creates a 445-deep directory chain one mkdir at a time, as applying a layer does (each call
 * resolves its whole path inside the root, component by component: O(depth^2) steps in all),
 * then lstats the deepest directory 50 times. Baseline: the same calls with Node's fs on the
 * host path (the kernel's own walk). Prints both and the ratios confined / baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { lstat, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { hostFileTree } from '../packages/zfs-driver/src/index.js'

const DEPTH = 445
const LSTATS = 50
const parts = Array.from({ length: DEPTH }, (_, i) => `c${String(i).padStart(7, '0')}`)
const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
const deepest = prefixes[prefixes.length - 1]!

const time = async (f: () => Promise<void>): Promise<number> => {
  const s = performance.now()
  await f()
  return performance.now() - s
}

const confined = async (): Promise<[number, number]> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-deep-'))
  try {
    const t = hostFileTree(dir, { readOnly: false })
    const mk = await time(async () => {
      for (const p of prefixes) {
        const r = await t.mkdir(p)()
        if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
      }
    })
    const st = await time(async () => {
      for (let i = 0; i < LSTATS; i++) {
        const r = await t.lstat(deepest)()
        if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
      }
    })
    return [mk, st]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const baseline = async (): Promise<[number, number]> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-deep-'))
  try {
    const mk = await time(async () => {
      for (const p of prefixes) await mkdir(join(dir, p))
    })
    const st = await time(async () => {
      for (let i = 0; i < LSTATS; i++) await lstat(join(dir, deepest))
    })
    return [mk, st]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await confined() // warm-up
const [cm, cs] = await confined()
const [bm, bs] = await baseline()
console.log(
  `mkdir chain of ${DEPTH}: confined ${cm.toFixed(0)} ms, baseline ${bm.toFixed(0)} ms, ratio ${(cm / bm).toFixed(1)}x`,
)
console.log(
  `lstat of the deepest x${LSTATS}: confined ${cs.toFixed(1)} ms, baseline ${bs.toFixed(1)} ms, ratio ${(cs / bs).toFixed(1)}x`,
)
console.log(`confined per component step: ${((cm * 1000) / ((DEPTH * (DEPTH + 1)) / 2)).toFixed(2)} µs`)
