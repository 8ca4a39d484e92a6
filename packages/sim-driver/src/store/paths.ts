/**
 * Where a state file really is, and the temp files dead processes left beside it. A
 * `--state` that is a symlink names its target, resolved once at open (a dangling link's
 * target is created), so every write goes to the target and the link stays a link.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, unlinkSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { pidAlive } from '@stratum/core/internal'

const code = (e: unknown): string | undefined => (e as { code?: string } | null)?.code

export const resolveStateFile = (file: string): string => {
  let cur = resolve(file)
  for (let hops = 0; hops < 40; hops++) {
    try {
      return realpathSync(cur)
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e
    }
    let isLink = false
    try {
      isLink = lstatSync(cur).isSymbolicLink()
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e
    }
    if (!isLink) {
      try {
        return join(realpathSync(dirname(cur)), basename(cur))
      } catch {
        return cur
      }
    }
    cur = resolve(dirname(cur), readlinkSync(cur))
  }
  return cur
}

/** Removes `<file>.tmp-<pid>-<hex>` files whose process no longer runs (a kill during a whole-file write). */
export const removeDeadTemps = (file: string): void => {
  const prefix = `${basename(file)}.tmp-`
  let names: string[]
  try {
    names = readdirSync(dirname(file))
  } catch {
    return
  }
  for (const n of names) {
    const m = n.startsWith(prefix) ? /^([1-9][0-9]*)-[0-9a-f]+$/.exec(n.slice(prefix.length)) : null
    if (m !== null && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) {
      try {
        unlinkSync(join(dirname(file), n))
      } catch {
        /* someone else removed it */
      }
    }
  }
}
