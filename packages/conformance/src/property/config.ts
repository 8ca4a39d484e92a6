/** Runs a fast-check property at the budget's size; a failure names the settings that replay it. */
import fc from 'fast-check'
import type { PropertyBudget } from '../budget.js'

/** Runs the property; on failure throws fast-check's report plus the exact environment to replay it. */
export const checkProperty = async <T>(prop: fc.IAsyncProperty<T>, cfg: PropertyBudget): Promise<void> => {
  const params: fc.Parameters<T> =
    cfg.seed === undefined
      ? { numRuns: cfg.runs }
      : { numRuns: cfg.runs, seed: cfg.seed, ...(cfg.path === undefined ? {} : { path: cfg.path }), endOnFailure: true }
  const out = await fc.check(prop, params)
  if (!out.failed) return
  const replay = /replayPath="([^"]*)"/.exec(String((out.counterexample as unknown[] | null)?.[0] ?? ''))?.[1]
  const env = [
    `STRATUM_CONFORMANCE_SEED=${out.seed}`,
    `STRATUM_CONFORMANCE_PATH=${out.counterexamplePath ?? ''}`,
    ...(replay === undefined ? [] : [`STRATUM_CONFORMANCE_REPLAY_PATH='${replay}'`]),
    `STRATUM_CONFORMANCE_MAX_COMMANDS=${cfg.maxCommands}`,
  ].join(' ')
  const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)
  throw new Error(
    `${fc.defaultReportMessage(out) ?? 'property failed'}\n\nFailure: ${cause}\n\nReplay this failure with:\n  ${env} npx vitest run <this test file>\n`,
  )
}
