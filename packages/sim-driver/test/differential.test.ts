// The differential harness on the simulator: against itself it finds nothing; against a
// deliberately wrong driver it finds the wrong call and reports a minimal sequence.
import * as TE from 'fp-ts/lib/TaskEither.js'
import { expect, it } from 'vitest'
import { datasetName, err, type Driver } from '@stratum/core'
import { budgetFromEnv, runDifferential, type Fixture } from '@stratum/conformance'
import { createSimDriver } from '../src/index.js'

const budget = budgetFromEnv().differential
const runs = budget.runs

const simFixture =
  (base: string, wrap: (d: Driver) => Driver = (d) => d) =>
  async (): Promise<Fixture> => {
    const driver = createSimDriver()
    const b = datasetName(base)
    const made = await driver.create(b, { parents: true })()
    if (made._tag === 'Left') throw new Error(`fixture: ${JSON.stringify(made.left)}`)
    return { driver: wrap(driver), base: b, cleanup: async () => {} }
  }

/** the simulator, except that promote always says the dataset is not a clone */
const promoteNeverWorks = (d: Driver): Driver => ({ ...d, promote: (name) => TE.left(err('NotAClone', { name })) })

// For any random sequence of algebra and file calls, two simulators under different bases give the same results call for call.
it('sim vs sim: no divergence', async () => {
  const lines: string[] = []
  const report = await runDifferential({
    name: 'sim-vs-sim',
    a: simFixture('testpool/diff-a'),
    b: simFixture('testpool/deeper/diff-b'),
    ...budget,
    log: (l) => {
      lines.push(l)
      console.log(l)
    },
  })
  expect(report.divergences).toBe(0)
  expect(report.sequences).toBe(runs)
  expect(report.calls).toBeGreaterThan(runs * 10)
  expect(lines).toEqual([`differential sim-vs-sim: ${runs} sequences, ${report.calls} calls, 0 divergences`])
})

/** The variables of a failure's printed replay line (`Replay with:\n  K=V K='V' npx vitest ...`). */
const replayEnv = (message: string): Record<string, string> => {
  const line = /Replay with:\n {2}(.*) npx vitest/.exec(message)?.[1] ?? ''
  return Object.fromEntries(
    line.split(' ').map((kv) => {
      const [k, v] = [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]
      return [k, v.replace(/^'(.*)'$/, '$1')]
    }),
  )
}

it('a driver whose promote always reports NotAClone is caught, with a minimal sequence and a replay line that replays it', async () => {
  const lines: string[] = []
  const broken = {
    name: 'sim-vs-broken',
    a: simFixture('testpool/diff-a'),
    b: simFixture('testpool/diff-b', promoteNeverWorks),
  }
  const failure = (run: Promise<unknown>): Promise<Error | undefined> =>
    run.then(
      () => undefined,
      (x: unknown) => x as Error,
    )
  // a sequence length other than the default: the replay line must carry it
  const e = await failure(
    runDifferential({ ...broken, runs: 200, maxCommands: 30, seed: 7, log: (l) => lines.push(l) }),
  )
  expect(e, 'the harness must fail').toBeInstanceOf(Error)
  expect(e!.message).toMatch(/promote\(\$\/[^)]*\): one side succeeded, the other failed/)
  expect(e!.message).toMatch(/NotAClone/)
  expect(e!.message).toMatch(/STRATUM_DIFF_SEED=7 STRATUM_DIFF_PATH=\S+/)
  // shrunk: the minimal sequence needs a clone and a promote of it, little else
  const seq = /Counterexample: \[(.*)\]/.exec(e!.message)?.[1] ?? ''
  expect(seq).toMatch(/clone\(/)
  expect(seq).toMatch(/promote\(/)
  expect(seq.split('),').length).toBeLessThanOrEqual(3)
  expect(lines[0]).toMatch(/^differential sim-vs-broken: \d+ sequences, \d+ calls, 1 divergences \(\d+ shrink runs\)$/)
  // the printed line alone, through budgetFromEnv, replays that minimal sequence at once
  const env = replayEnv(e!.message)
  expect(Object.keys(env)).toEqual(
    expect.arrayContaining(['STRATUM_DIFF_SEED', 'STRATUM_DIFF_PATH', 'STRATUM_DIFF_MAX_COMMANDS']),
  )
  const again = await failure(runDifferential({ ...broken, ...budgetFromEnv(env).differential, log: () => {} }))
  expect(again?.message ?? 'no divergence').toMatch(/^differential sim-vs-broken: 1 sequences, /)
  expect(/Counterexample: \[(.*)\]/.exec(again!.message)?.[1]).toBe(seq)
})
