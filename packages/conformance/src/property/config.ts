/**
 * Run counts and replay, from the environment:
 *   STRATUM_CONFORMANCE_RUNS          runs per property (default 200)
 *   STRATUM_CONFORMANCE_MAX_COMMANDS  longest command sequence (default 30)
 *   STRATUM_CONFORMANCE_SEED, STRATUM_CONFORMANCE_PATH, STRATUM_CONFORMANCE_REPLAY_PATH
 *                                     replay one failure, as printed by the failing property
 */
import fc from 'fast-check'

export interface PropertyConfig {
  readonly runs: number
  readonly maxCommands: number
  readonly seed: number | undefined
  readonly path: string | undefined
  readonly replayPath: string | undefined
}

const int = (v: string | undefined, dflt: number): number => {
  const n = v === undefined || v === '' ? NaN : Number(v)
  return Number.isInteger(n) && n > 0 ? n : dflt
}

export const readConfig = (env: NodeJS.ProcessEnv = process.env): PropertyConfig => ({
  runs: int(env['STRATUM_CONFORMANCE_RUNS'], 200),
  maxCommands: int(env['STRATUM_CONFORMANCE_MAX_COMMANDS'], 30),
  seed: env['STRATUM_CONFORMANCE_SEED'] ? Number(env['STRATUM_CONFORMANCE_SEED']) : undefined,
  path: env['STRATUM_CONFORMANCE_PATH'] || undefined,
  replayPath: env['STRATUM_CONFORMANCE_REPLAY_PATH'] || undefined,
})

/** Runs the property; on failure throws fast-check's report plus the exact environment to replay it. */
export const checkProperty = async <T>(prop: fc.IAsyncProperty<T>, cfg: PropertyConfig): Promise<void> => {
  const params: fc.Parameters<T> = cfg.seed === undefined
    ? { numRuns: cfg.runs }
    : { numRuns: cfg.runs, seed: cfg.seed, ...(cfg.path === undefined ? {} : { path: cfg.path }), endOnFailure: true }
  const out = await fc.check(prop, params)
  if (!out.failed) return
  const replay = /replayPath="([^"]*)"/.exec(String((out.counterexample as unknown[] | null)?.[0] ?? ''))?.[1]
  const env = [
    `STRATUM_CONFORMANCE_SEED=${out.seed}`,
    `STRATUM_CONFORMANCE_PATH=${out.counterexamplePath ?? ''}`,
    ...(replay === undefined ? [] : [`STRATUM_CONFORMANCE_REPLAY_PATH='${replay}'`]),
  ].join(' ')
  const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)
  throw new Error(`${fc.defaultReportMessage(out) ?? 'property failed'}\n\nFailure: ${cause}\n\nReplay this failure with:\n  ${env} npx vitest run <this test file>\n`)
}
