/**
 * Quotas enforced on writes, as EDQUOT: a file change that grows what a dataset refers to past
 * its refquota, or what a dataset with a quota (it or an ancestor) uses past that quota, fails
 * with QuotaExceeded and changes nothing. Changes that free or keep space always pass (zfs lets
 * unlink and truncate through at the limit). Checked only when some quota applies.
 */
import { err, type StorageError } from '@stratum/core'
import { parentOf, quotasOf } from './native.js'
import type { ObjSet } from './objset.js'
import { referencedOf, usedOf } from './space.js'
import type { DatasetRec, State } from './state.js'

/** The quota `after` (the dataset's new files, not yet installed) would break, or undefined. */
export const quotaProblem = (st: State, d: DatasetRec, after: ObjSet, path: string): StorageError | undefined => {
  const chain: DatasetRec[] = []
  for (let cur: DatasetRec | undefined = d; cur !== undefined; cur = parentOf(st, cur)) chain.push(cur)
  const refquota = quotasOf(d).refquota
  const quotas = chain.filter((c) => quotasOf(c).quota !== null)
  if (refquota === null && quotas.length === 0) return undefined
  const before = d.objset
  if (refquota !== null) {
    const r = referencedOf(after)
    if (r > refquota && r > referencedOf(before))
      return err('QuotaExceeded', { name: d.name, property: 'refquota', limit: refquota, path })
  }
  if (quotas.length === 0) return undefined
  const usedBefore = quotas.map((c) => usedOf(st, c))
  d.objset = after
  try {
    for (const [i, c] of quotas.entries()) {
      const quota = quotasOf(c).quota!
      const u = usedOf(st, c)
      if (u > quota && u > usedBefore[i]!)
        return err('QuotaExceeded', { name: c.name, property: 'quota', limit: quota, path })
    }
    return undefined
  } finally {
    d.objset = before
  }
}
