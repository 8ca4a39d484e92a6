/**
 * The suite's sizes, in one object with one table of defaults. The library never reads the
 * environment: a driver's test entry point calls `budgetFromEnv()` and hands the result to
 * `runConformance`, `runDifferential` or `runProcessChecks`. The variables and their meaning:
 *   STRATUM_CONFORMANCE_GROUPS        parts to run: all (default), algebra, layers, hostile or crash; anything else is an error
 *   STRATUM_CONFORMANCE_RUNS          runs per model-based property (layer properties: a fraction)
 *   STRATUM_CONFORMANCE_MAX_COMMANDS  longest command sequence of a model-based property
 *   STRATUM_CONFORMANCE_SEED, _PATH, _REPLAY_PATH  replay one property failure, as printed
 *   STRATUM_CRASH_POINTS=changes      fault only before namespace and property changes
 *   STRATUM_CRASH_STRIDE=k, STRATUM_CRASH_SAMPLE=k  every k-th crash point; at most k per fault mode
 *                                     (a fraction below 1: one point per operation, the fault modes taking turns)
 *   STRATUM_CONCURRENCY_RUNS          runs per in-process concurrency property
 *   STRATUM_DIFF_RUNS, STRATUM_DIFF_MAX_COMMANDS, STRATUM_DIFF_TIME_LIMIT_S  differential sizes
 *   STRATUM_DIFF_HOSTFS_RUNS          runs of a file-calls-only differential (its sequences: always up to 30 calls)
 *   STRATUM_DIFF_SEED, _PATH, _REPLAY_PATH  replay one divergence, as printed
 *   STRATUM_TAR_FUZZ_RUNS, _SEED      the tar fuzz property's runs and seed (fixed by default)
 *   STRATUM_KILL_*                    the process checks (see processes/settings.ts)
 */
import { type KillKnobs, type KillSettings, killSettings } from './processes/settings.js'

export const PARTS = ['algebra', 'layers', 'hostile', 'crash'] as const
/** One part of the conformance suite, as chosen by `Budget.parts`. */
export type Part = (typeof PARTS)[number]

/** Sizes and replay of the fast-check properties. */
export interface PropertyBudget {
  readonly runs: number
  readonly maxCommands: number
  readonly seed?: number
  readonly path?: string
  readonly replayPath?: string
}

/** Sizes of the crash-point checks. */
export interface CrashBudget {
  /** 'all': every driver call is a crash point; 'changes': only namespace and property changes */
  readonly points: 'all' | 'changes'
  readonly stride: number
  /** at most this many points per fault mode (below 1: one point, one mode per operation); undefined: all */
  readonly sample?: number
}

export interface DifferentialBudget extends PropertyBudget {
  /** stop starting sequences after this long */
  readonly timeLimitMs?: number
}

/** The sizes of one conformance run: which parts, and how many runs of each. */
export interface Budget {
  readonly parts: readonly Part[]
  readonly property: PropertyBudget
  readonly crash: CrashBudget
  readonly concurrency: { readonly runs: number }
  readonly tarFuzz: { readonly runs: number; readonly seed: number }
  /** the sequences of a differential run with every kind of call */
  readonly differential: DifferentialBudget
  /** a differential run of file calls only */
  readonly differentialFiles: DifferentialBudget
  readonly kill: KillSettings
}

const DEFAULT_KILL: KillKnobs = { runs: 4, scale: 1, extractors: 4, killCommands: false }

/** The one table of defaults. */
export const DEFAULT_BUDGET: Budget = {
  parts: PARTS,
  property: { runs: 200, maxCommands: 30 },
  crash: { points: 'all', stride: 1 },
  concurrency: { runs: 20 },
  tarFuzz: { runs: 150, seed: 20261201 },
  differential: { runs: 100, maxCommands: 40 },
  differentialFiles: { runs: 100, maxCommands: 30 },
  kill: killSettings(DEFAULT_KILL),
}

type Env = Readonly<Record<string, string | undefined>>

/** The one number parser: a finite number (an integer unless `fraction`; positive unless `signed`), else undefined. */
const num = (env: Env, key: string, o: { fraction?: boolean; signed?: boolean } = {}): number | undefined => {
  const v = env[key]?.trim()
  const n = v === undefined || v === '' ? NaN : Number(v)
  if (!Number.isFinite(n) || (o.fraction !== true && !Number.isInteger(n)) || (o.signed !== true && n <= 0))
    return undefined
  return n
}
const str = (env: Env, key: string): string | undefined =>
  env[key] === undefined || env[key] === '' ? undefined : env[key]
const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } =>
  v === undefined ? {} : ({ [k]: v } as { [P in K]: V })

const parts = (env: Env): readonly Part[] => {
  const v = (env['STRATUM_CONFORMANCE_GROUPS'] ?? '').trim()
  if (v === '' || v === 'all') return PARTS
  if ((PARTS as readonly string[]).includes(v)) return [v as Part]
  throw new Error(`STRATUM_CONFORMANCE_GROUPS='${v}': not a part of the suite (all, ${PARTS.join(', ')})`)
}

const replay = (env: Env, prefix: string) => ({
  ...opt('seed', num(env, `${prefix}_SEED`, { signed: true })),
  ...opt('path', str(env, `${prefix}_PATH`)),
  ...opt('replayPath', str(env, `${prefix}_REPLAY_PATH`)),
})

/** The budget the STRATUM_* variables ask for; what they leave unset comes from DEFAULT_BUDGET. */
export const budgetFromEnv = (env: Env = process.env): Budget => {
  const d = DEFAULT_BUDGET
  const points = str(env, 'STRATUM_CRASH_POINTS') === 'changes' ? 'changes' : 'all'
  const limitS = num(env, 'STRATUM_DIFF_TIME_LIMIT_S', { fraction: true })
  const diffReplay = {
    ...replay(env, 'STRATUM_DIFF'),
    ...opt('timeLimitMs', limitS === undefined ? undefined : limitS * 1000),
  }
  const scale = num(env, 'STRATUM_KILL_SCALE', { fraction: true }) ?? DEFAULT_KILL.scale
  return {
    parts: parts(env),
    property: {
      runs: num(env, 'STRATUM_CONFORMANCE_RUNS') ?? d.property.runs,
      maxCommands: num(env, 'STRATUM_CONFORMANCE_MAX_COMMANDS') ?? d.property.maxCommands,
      ...replay(env, 'STRATUM_CONFORMANCE'),
    },
    crash: {
      points,
      stride: num(env, 'STRATUM_CRASH_STRIDE') ?? d.crash.stride,
      ...opt('sample', num(env, 'STRATUM_CRASH_SAMPLE', { fraction: true })),
    },
    concurrency: { runs: num(env, 'STRATUM_CONCURRENCY_RUNS') ?? d.concurrency.runs },
    tarFuzz: {
      runs: num(env, 'STRATUM_TAR_FUZZ_RUNS') ?? d.tarFuzz.runs,
      seed: num(env, 'STRATUM_TAR_FUZZ_SEED') ?? d.tarFuzz.seed,
    },
    differential: {
      runs: num(env, 'STRATUM_DIFF_RUNS') ?? d.differential.runs,
      maxCommands: num(env, 'STRATUM_DIFF_MAX_COMMANDS') ?? d.differential.maxCommands,
      ...diffReplay,
    },
    differentialFiles: {
      runs: num(env, 'STRATUM_DIFF_HOSTFS_RUNS') ?? d.differentialFiles.runs,
      maxCommands: d.differentialFiles.maxCommands,
      ...diffReplay,
    },
    kill: killSettings({
      runs: Math.round(num(env, 'STRATUM_KILL_RUNS', { fraction: true }) ?? DEFAULT_KILL.runs),
      scale,
      ...opt('delayScale', num(env, 'STRATUM_KILL_DELAY_SCALE', { fraction: true })),
      extractors: Math.round(num(env, 'STRATUM_KILL_EXTRACTORS', { fraction: true }) ?? DEFAULT_KILL.extractors),
      killCommands: env['STRATUM_KILL_COMMANDS'] === '1',
    }),
  }
}
