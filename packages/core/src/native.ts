/**
 * The native (ZFS-defined) properties of a filesystem the algebra knows, typed: what a store
 * needs to hand a root to a runtime (mountpoint, mounts, read-only, quotas) and to report space.
 * Sizes are exact byte counts (`zfs get -p`).
 */

/** `canmount`: on (mounted when created and at boot), noauto (only by an explicit mount), off (never). */
export type CanMount = 'on' | 'off' | 'noauto'

/** The mount-related and settable native properties of a filesystem. */
export interface NativeProperties {
  /** an absolute path, or 'legacy' or 'none'; inherited along the namespace like zfs (parent's + '/' + name) */
  readonly mountpoint: string
  /** not inherited; 'on' by default */
  readonly canmount: CanMount
  /** whether the filesystem is mounted now */
  readonly mounted: boolean
  /** `readonly=on`: every write to its files fails with EROFS; inherited */
  readonly readonly: boolean
  /** bytes the dataset and its descendants and snapshots may use; null: none */
  readonly quota: number | null
  /** bytes the dataset itself may reference; null: none */
  readonly refquota: number | null
}

/** What `setNative` and the `native` option of create and clone take: the settable ones. */
export interface SettableNative {
  readonly mountpoint?: string
  readonly canmount?: CanMount
  readonly readonly?: boolean
  /** null: none */
  readonly quota?: number | null
  /** null: none */
  readonly refquota?: number | null
}

/** Space of a filesystem, settled (as after a txg sync), in bytes. */
export interface SpaceInfo {
  /** space the dataset, its snapshots and descendants take that nothing else shares */
  readonly used: number
  /** bytes the dataset's files refer to, shared or not (a fresh clone: as much as its origin) */
  readonly referenced: number
  /** bytes referenced now that the latest snapshot (or, with none, the origin) does not refer to */
  readonly written: number
  /** what the dataset can still take: the pool's free space cut by quota and refquota */
  readonly available: number
}

/** zfs's text of a settable native property's value. */
export const nativeValueText = (k: keyof SettableNative, v: SettableNative[keyof SettableNative]): string => {
  if (k === 'readonly') return v === true ? 'on' : 'off'
  if (k === 'quota' || k === 'refquota') return v === null || v === undefined ? 'none' : String(v)
  return String(v)
}

/** The problem of a settable native value, or undefined: quotas are whole bytes, mountpoints absolute or legacy/none. */
export const settableProblem = (s: SettableNative): string | undefined => {
  for (const k of ['quota', 'refquota'] as const) {
    const q = s[k]
    if (q !== undefined && q !== null && (!Number.isSafeInteger(q) || q < 0))
      return `${k} must be whole bytes, not ${q}`
  }
  const mp = s.mountpoint
  if (mp !== undefined && mp !== 'legacy' && mp !== 'none' && (!mp.startsWith('/') || /[\0\n\t]/.test(mp)))
    return `mountpoint must be an absolute path, 'legacy' or 'none', not '${mp}'`
  return undefined
}
