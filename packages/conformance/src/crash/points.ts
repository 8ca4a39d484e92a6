/**
 * Which driver calls a crash group faults at. Every call by default; for slow drivers (real zfs
 * under emulation) fewer, read from the environment:
 *   STRATUM_CRASH_POINTS=changes  only before the calls of CHANGES (an operation with none, such
 *                                 as apply, gets its first, middle and last call)
 *   STRATUM_CRASH_STRIDE=k        every k-th of those
 *   STRATUM_CRASH_SAMPLE=k        at most k of those per fault mode, spread evenly, each mode at
 *                                 its own offset so the modes cover different calls
 */

/** The driver calls that change the namespace or a property: the steps a real pool makes durable one by one. */
const CHANGES = /^(create|snapshot|clone|promote|rename|renameSnapshot|destroy|setProperty|inheritProperty) /

const positive = (v: string | undefined): number | undefined => {
  const k = Number(v)
  return Number.isInteger(k) && k > 0 ? k : undefined
}

/** The call indices of `log` (what each call was, in order) to fault. */
export const crashPoints = (log: readonly string[], env: NodeJS.ProcessEnv = process.env): number[] => {
  const all = log.map((_, i) => i)
  const changes = all.filter((i) => CHANGES.test(log[i]!))
  const chosen = env['STRATUM_CRASH_POINTS'] !== 'changes' ? all
    : changes.length > 0 ? changes
    : [...new Set([0, Math.floor(log.length / 2), log.length - 1])].filter((i) => i >= 0)
  return strided(chosen, env)
}

/** Every k-th of `points` (STRATUM_CRASH_STRIDE=k; default every one). */
export const strided = (points: readonly number[], env: NodeJS.ProcessEnv = process.env): number[] => {
  const stride = positive(env['STRATUM_CRASH_STRIDE']) ?? 1
  return points.filter((_, j) => j % stride === 0)
}

/** At most k of `points` (STRATUM_CRASH_SAMPLE=k), evenly spread starting at `phase` (0 <= phase < 1) of a step. */
export const sampled = (points: readonly number[], phase: number, env: NodeJS.ProcessEnv = process.env): number[] => {
  const k = positive(env['STRATUM_CRASH_SAMPLE'])
  if (k === undefined || k >= points.length) return [...points]
  const step = points.length / k
  return [...new Set(Array.from({ length: k }, (_, j) => points[Math.floor((j + phase) * step)]!))]
}
