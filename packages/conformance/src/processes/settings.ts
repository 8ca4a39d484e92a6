/**
 * Sizes and time bounds of the process checks, from the environment, so a slow machine (real
 * ZFS in an emulated guest: every zfs command and every Node start far slower) can size them:
 *   STRATUM_KILL_RUNS          kill-and-recover runs of the first check (default 4)
 *   STRATUM_KILL_SCALE         multiplies every time bound: the wait for a child's 'ready', the
 *                              wait for a killed child's processes to be gone, the test and hook
 *                              timeouts (default 1)
 *   STRATUM_KILL_DELAY_SCALE   multiplies the random kill-delay windows after 'ready' (20-320 ms
 *                              for the first check, 0-200 ms for the victim of the second); size
 *                              it so a delay reaches into a later cycle (default STRATUM_KILL_SCALE)
 *   STRATUM_KILL_EXTRACTORS    processes extracting at once in the second check, 2-4 (default 4)
 *   STRATUM_KILL_COMMANDS      1: a kill takes the commands the child started with it (a zfs
 *                              command dies mid-run, as when a whole cgroup is killed); default 0:
 *                              only the Node process dies, its commands finish on their own
 */
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

const positive = (v: string | undefined, dflt: number): number => {
  const n = Number(v)
  return v !== undefined && v.trim() !== '' && Number.isFinite(n) && n > 0 ? n : dflt
}

export const killSettings = (env: NodeJS.ProcessEnv = process.env): KillSettings => {
  const runs = Math.round(positive(env['STRATUM_KILL_RUNS'], 4))
  const scale = positive(env['STRATUM_KILL_SCALE'], 1)
  const delay = positive(env['STRATUM_KILL_DELAY_SCALE'], scale)
  const extractors = Math.min(4, Math.max(2, Math.round(positive(env['STRATUM_KILL_EXTRACTORS'], 4))))
  return {
    runs,
    extractors,
    killCommands: env['STRATUM_KILL_COMMANDS'] === '1',
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
