/**
 * Sizes and time bounds of the process checks, so a slow machine (real ZFS in an emulated
 * guest: every zfs command and every Node start far slower) can size them (budget.ts reads
 * them from STRATUM_KILL_*):
 *   runs          kill-and-recover runs of the first check (STRATUM_KILL_RUNS, default 4)
 *   scale         multiplies every time bound: the wait for a child's 'ready', the wait for a
 *                 killed child's processes to be gone, the test and hook timeouts
 *                 (STRATUM_KILL_SCALE, default 1)
 *   delayScale    multiplies the random kill-delay windows after 'ready' (20-320 ms for the
 *                 first check, 0-200 ms for the victim of the second); size it so a delay
 *                 reaches into a later cycle (STRATUM_KILL_DELAY_SCALE, default the scale)
 *   extractors    processes extracting at once in the second check, 2-4 (STRATUM_KILL_EXTRACTORS, default 4)
 *   killCommands  a kill takes the commands the child started with it (a zfs command dies
 *                 mid-run, as when a whole cgroup is killed; STRATUM_KILL_COMMANDS=1); default:
 *                 only the Node process dies, its commands finish on their own
 */
export interface KillKnobs {
  readonly runs: number
  readonly scale: number
  readonly delayScale?: number
  readonly extractors: number
  readonly killCommands: boolean
}

/** Sizes and timings of the kill checks. */
export interface KillSettings {
  readonly runs: number
  readonly readyMs: number
  readonly goneMs: number
  readonly killDelayMs: readonly [number, number]
  readonly victimDelayMs: readonly [number, number]
  readonly extractors: number
  readonly killCommands: boolean
  readonly killTestMs: number
  readonly sharedTestMs: number
  readonly hookMs: number
}

export const killSettings = (k: KillKnobs): KillSettings => {
  const { runs, scale, killCommands } = k
  const delay = k.delayScale ?? scale
  const extractors = Math.min(4, Math.max(2, k.extractors))
  return {
    runs,
    extractors,
    killCommands,
    readyMs: 60_000 * scale,
    goneMs: 10_000 * scale,
    killDelayMs: [20 * delay, 320 * delay],
    victimDelayMs: [0, 200 * delay],
    // each run may wait for 'ready', then recovers, checks and works on
    killTestMs: (30_000 + runs * 120_000) * scale + runs * 320 * delay,
    sharedTestMs: 240_000 * scale + 200 * delay,
    hookMs: 120_000 * scale,
  }
}

/** A uniformly random delay in the window, in ms. */
export const pick = ([lo, hi]: readonly [number, number]): number => lo + Math.random() * (hi - lo)

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
