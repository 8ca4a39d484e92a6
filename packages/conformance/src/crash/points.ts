/**
 * Which driver calls a crash group faults at. Every call by default; for slow drivers (real zfs
 * under emulation) fewer, as the budget says (budget.ts: STRATUM_CRASH_*):
 *   points 'changes'  only before the calls of CHANGES (an operation with none, such as apply,
 *                     gets its first, middle and last call)
 *   stride k          every k-th of those
 *   sample k          at most k of those per fault mode, spread evenly, each mode at its own
 *                     offset so the modes cover different calls; below 1, one point per
 *                     operation and one fault mode, the modes taking turns across operations
 */
import type { CrashBudget } from '../budget.js'
import type { FaultMode } from './faulty-driver.js'

/** 'crash': the process dies before the call; 'fail': the call reports Io. */
export const MODES: readonly FaultMode[] = ['crash', 'fail']

/** The driver calls that change the namespace or a property: the steps a real pool makes durable one by one. */
export const CHANGES =
  /^(create|snapshot|clone|promote|rename|renameSnapshot|destroy|setProperty|inheritProperty|setNative|mount|unmount) /

/** The call indices of `log` (what each call was, in order) to fault. */
export const crashPoints = (log: readonly string[], b: CrashBudget): number[] => {
  const all = log.map((_, i) => i)
  const changes = all.filter((i) => CHANGES.test(log[i]!))
  const chosen =
    b.points !== 'changes'
      ? all
      : changes.length > 0
        ? changes
        : [...new Set([0, Math.floor(log.length / 2), log.length - 1])].filter((i) => i >= 0)
  return strided(chosen, b)
}

/** Every k-th of `points` (the stride; 1: every one). */
export const strided = (points: readonly number[], b: CrashBudget): number[] =>
  points.filter((_, j) => j % b.stride === 0)

/** At most `sample` of `points`, evenly spread starting at `phase` (0 <= phase < 1) of a step. */
export const sampled = (points: readonly number[], phase: number, b: CrashBudget): number[] => {
  const k = b.sample === undefined ? undefined : Math.max(1, Math.floor(b.sample))
  if (k === undefined || k >= points.length) return [...points]
  const step = points.length / k
  return [...new Set(Array.from({ length: k }, (_, j) => points[Math.floor((j + phase) * step)]!))]
}

/** The fault modes the `i`-th operation of a group is run with: both, or (a sample below 1) one, in turns. */
export const faultModes = (i: number, b: CrashBudget): readonly FaultMode[] =>
  b.sample !== undefined && b.sample < 1 ? [MODES[i % MODES.length]!] : MODES
