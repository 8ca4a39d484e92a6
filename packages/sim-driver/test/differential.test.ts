// The differential harness on the simulator: against itself it finds nothing; against a
// deliberately wrong driver it finds the wrong call and reports a minimal sequence.
import * as TE from 'fp-ts/lib/TaskEither.js'
import { expect, it } from 'vitest'
import { datasetName, err, type Driver } from '@stratum/core'
import { runDifferential, type Fixture } from '@stratum/conformance'
import { createSimDriver } from '../src/index.js'

const runs = Number(process.env.STRATUM_DIFF_RUNS ?? '') || 100

const simFixture = (base: string, wrap: (d: Driver) => Driver = (d) => d) => async (): Promise<Fixture> => {
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
    name: 'sim-vs-sim', a: simFixture('testpool/diff-a'), b: simFixture('testpool/deeper/diff-b'),
    runs, maxCommands: 40, log: (l) => { lines.push(l); console.log(l) },
  })
  expect(report.divergences).toBe(0)
  expect(report.sequences).toBe(runs)
  expect(report.calls).toBeGreaterThan(runs * 10)
  expect(lines).toEqual([`differential sim-vs-sim: ${runs} sequences, ${report.calls} calls, 0 divergences`])
})

it('a driver whose promote always reports NotAClone is caught, with a minimal sequence and a replay seed', async () => {
  const lines: string[] = []
  const run = runDifferential({
    name: 'sim-vs-broken', a: simFixture('testpool/diff-a'), b: simFixture('testpool/diff-b', promoteNeverWorks),
    runs: 200, maxCommands: 40, seed: 7, log: (l) => lines.push(l),
  })
  const e = await run.then(() => undefined, (x: unknown) => x as Error)
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
})
