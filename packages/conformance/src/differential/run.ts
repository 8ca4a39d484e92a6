/**
 * `runDifferential`: random sequences of driver calls run on two drivers side by side, every
 * result compared (see sides.ts, compare.ts). A divergence fails with fast-check's minimal
 * sequence and the environment that replays it; the last line printed is
 * `differential <name>: N sequences, M calls, D divergences`. The printed replay line names
 * every setting that shapes the sequences (seed, path, replay path, longest sequence), as the
 * STRATUM_DIFF_* variables `budgetFromEnv` reads.
 */
import fc from 'fast-check'
import { DEFAULT_BUDGET, type DifferentialBudget } from '../budget.js'
import type { Fixture } from '../fixture.js'
import { algebraCommands as alg } from './algebra-commands.js'
import { compareLists, compareTrees } from './compare.js'
import { fsCommands as fs } from './fs-commands.js'
import { prelude } from '../commands/prelude.js'
import { FILE_MIX, weighted } from '../commands/weighted.js'
import { type Side, type Sides, type Tally, both, treesOf } from './sides.js'
import { datasets, emptyView } from './view.js'
import { type DriverWorld, driverOracle } from './driver-oracle.js'
import type { DWorld } from './world.js'

/** Sizes and replay (DifferentialBudget) default to DEFAULT_BUDGET's for the kind of commands. */
export interface DifferentialOptions extends Partial<DifferentialBudget> {
  readonly name: string
  /** a fresh fixture per sequence; side a is also where names are picked from: make it the cheap side */
  readonly a: () => Promise<Fixture>
  /** a fresh fixture of the other side, compared with side a */
  readonly b: () => Promise<Fixture>
  /**
   * 'all' (default): namespace, property, list, diff and file calls. 'files': file calls and
   * dataset tree checks only, after the same prelude (for a side whose snapshots and diffs
   * are not real, e.g. a host file tree under a simulated namespace).
   */
  readonly commands?: 'all' | 'files'
  /** where the summary line goes (default console.log) */
  readonly log?: (line: string) => void
}

/** The outcome of `runDifferential`: sequences and calls compared, divergences found. */
export interface DifferentialReport {
  readonly sequences: number
  /** sequences re-run while shrinking a divergence */
  readonly shrinkRuns: number
  readonly calls: number
  readonly divergences: number
  readonly interrupted: boolean
  readonly line: string
}

type Cmd = fc.Arbitrary<fc.AsyncCommand<DriverWorld, DriverWorld>>

const commandArbs: Cmd[] = [
  ...weighted((k: keyof typeof alg) => alg[k], {
    create: 2,
    snapshot: 3,
    clone: 2,
    promote: 2,
    rename: 1,
    renameSnapshot: 1,
    destroy: 2,
    setProperty: 1,
    getProperty: 1,
    list: 1,
    diff: 3,
  }),
  ...weighted(fs.op, FILE_MIX),
  fs.readOnlyWrite,
  fs.tree,
]

const fileArbs: Cmd[] = [...weighted(fs.op, { ...FILE_MIX, mkdir: 2, symlink: 2, link: 2, rename: 3 }), fs.datasetTree]

const sideOf = (label: 'a' | 'b', f: Fixture): Side => ({ label, driver: f.driver, base: f.base, trees: new Map() })

/** After the sequence: the whole namespace and every dataset's tree compared. */
const finalCheck = async (w: DWorld, s: Sides): Promise<void> => {
  await both(s, 'final list($)', (side) => side.driver.list(side.base), compareLists(s))
  for (const rel of datasets(w.v)) {
    const trees = await treesOf(s, rel)
    if (trees !== undefined) await compareTrees(s, rel, trees[0], trees[1])
  }
}

const runSequence = async (
  opts: DifferentialOptions,
  tally: Tally,
  cmds: Iterable<fc.AsyncCommand<DriverWorld, DriverWorld>>,
): Promise<void> => {
  tally.sequences++
  const fa = await opts.a()
  try {
    const fb = await opts.b()
    try {
      const chown = fa.driver.capabilities.chown && fb.driver.capabilities.chown
      const s: Sides = { a: sideOf('a', fa), b: sideOf('b', fb), chown, tally }
      const w: DWorld = { v: emptyView(), chown }
      const o = driverOracle(w, s)
      await prelude(o)
      await fc.asyncModelRun(() => ({ model: o, real: o }), cmds)
      await finalCheck(w, s)
    } finally {
      await fb.cleanup()
    }
  } finally {
    await fa.cleanup()
  }
}

/** Runs random command sequences against a driver and the simulator and compares every result; a divergence fails with its shrunk sequence. */
export const runDifferential = async (opts: DifferentialOptions): Promise<DifferentialReport> => {
  const tally: Tally = { sequences: 0, calls: 0, divergences: 0 }
  const { runs, maxCommands, seed, path, replayPath, timeLimitMs }: DifferentialBudget = {
    ...(opts.commands === 'files' ? DEFAULT_BUDGET.differentialFiles : DEFAULT_BUDGET.differential),
    ...opts,
  }
  const prop = fc.asyncProperty(
    fc.commands(opts.commands === 'files' ? fileArbs : commandArbs, {
      maxCommands,
      size: 'max',
      ...(replayPath === undefined ? {} : { replayPath }),
    }),
    (cmds) => runSequence(opts, tally, cmds),
  )
  const out = await fc.check(prop, {
    numRuns: runs,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path, endOnFailure: true }),
    ...(timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false }),
  })
  const divergences = out.failed ? 1 : 0
  const sequences = out.failed ? out.numRuns : tally.sequences
  const report: DifferentialReport = {
    sequences,
    shrinkRuns: tally.sequences - sequences,
    calls: tally.calls,
    divergences,
    interrupted: out.interrupted,
    line:
      `differential ${opts.name}: ${sequences} sequences, ${tally.calls} calls, ${divergences} divergences` +
      `${out.failed ? ` (${tally.sequences - sequences} shrink runs)` : ''}${out.interrupted ? ` (time limit reached before ${runs})` : ''}`,
  }
  ;(opts.log ?? console.log)(report.line)
  if (!out.failed) return report
  const replay = /replayPath="([^"]*)"/.exec(String((out.counterexample as unknown[] | null)?.[0] ?? ''))?.[1]
  const replayEnv = [
    `STRATUM_DIFF_SEED=${out.seed}`,
    `STRATUM_DIFF_PATH=${out.counterexamplePath ?? ''}`,
    ...(replay === undefined ? [] : [`STRATUM_DIFF_REPLAY_PATH='${replay}'`]),
    `STRATUM_DIFF_MAX_COMMANDS=${maxCommands}`,
  ].join(' ')
  // run the minimal sequence once more: its commands' labels (what the indexes resolved to) are then its own
  const again = await runSequence(
    opts,
    { sequences: 0, calls: 0, divergences: 0 },
    (out.counterexample as [Iterable<fc.AsyncCommand<DriverWorld, DriverWorld>>])[0],
  ).then(
    () => 'the minimal sequence did not diverge again when replayed',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  )
  const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)
  throw new Error(
    `${report.line}\n\n${fc.defaultReportMessage(out) ?? 'divergence'}\n\nDivergence: ${cause}${again === cause ? '' : `\n\nReplayed once more: ${again}`}\n\nReplay with:\n  ${replayEnv} npx vitest run <this test file>\n`,
  )
}
