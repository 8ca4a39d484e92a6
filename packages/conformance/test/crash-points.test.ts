import { describe, expect, it } from 'vitest'
import { budgetFromEnv } from '../src/budget.js'
import { crashPoints, faultModes, sampled, strided } from '../src/crash/points.js'

/** the crash budget those variables give */
const crash = (env: Record<string, string>) => budgetFromEnv(env).crash

const log = [
  'list p/s',
  'fs p/tmp/x',
  'fs p/tmp/x: mkdir etc',
  'create p/tmp/x',
  'setProperty p/tmp/x',
  'fs p/tmp/x: writeFile a',
  'snapshot p/tmp/x@s',
  'rename p/tmp/x',
  'getProperty p/s',
]

describe('crash points (STRATUM_CRASH_POINTS, STRATUM_CRASH_STRIDE)', () => {
  it('by default every call is a crash point', () => {
    expect(crashPoints(log, crash({}))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
  })
  it('`changes` keeps the namespace and property changes only', () => {
    expect(crashPoints(log, crash({ STRATUM_CRASH_POINTS: 'changes' }))).toEqual([3, 4, 6, 7])
  })
  it('an operation with no change gets its first, middle and last call', () => {
    const reads = ['fs p/c', 'fs p/c: lstat a', 'fs p/c: writeFile a', 'fs p/c: unlink b', 'fs p/c: rmdir d']
    expect(crashPoints(reads, crash({ STRATUM_CRASH_POINTS: 'changes' }))).toEqual([0, 2, 4])
    expect(crashPoints(['fs p/c'], crash({ STRATUM_CRASH_POINTS: 'changes' }))).toEqual([0])
  })
  it('the stride keeps every k-th point of the chosen ones', () => {
    expect(crashPoints(log, crash({ STRATUM_CRASH_STRIDE: '4' }))).toEqual([0, 4, 8])
    expect(crashPoints(log, crash({ STRATUM_CRASH_POINTS: 'changes', STRATUM_CRASH_STRIDE: '2' }))).toEqual([3, 6])
    expect(crashPoints(log, crash({ STRATUM_CRASH_STRIDE: 'x' }))).toHaveLength(9)
  })
})

describe('strided crash points', () => {
  it('keeps every k-th point, starting with the first', () => {
    expect(strided([0, 1, 2, 3, 4, 5, 6], crash({ STRATUM_CRASH_STRIDE: '3' }))).toEqual([0, 3, 6])
    expect(strided([0, 1, 2], crash({}))).toEqual([0, 1, 2])
  })
})

describe('sampled crash points (STRATUM_CRASH_SAMPLE)', () => {
  const points = [3, 4, 6, 7, 9, 12, 15, 20]
  it('keeps at most k, spread evenly; each mode at its own offset', () => {
    expect(sampled(points, 0, crash({ STRATUM_CRASH_SAMPLE: '2' }))).toEqual([3, 9])
    expect(sampled(points, 0.5, crash({ STRATUM_CRASH_SAMPLE: '2' }))).toEqual([6, 15])
    expect(sampled(points, 0, crash({ STRATUM_CRASH_SAMPLE: '1' }))).toEqual([3])
    expect(sampled(points, 0.5, crash({ STRATUM_CRASH_SAMPLE: '1' }))).toEqual([9])
  })
  it('keeps them all when unset or when there are no more than k', () => {
    expect(sampled(points, 0.5, crash({}))).toEqual(points)
    expect(sampled([1, 2], 0.5, crash({ STRATUM_CRASH_SAMPLE: '3' }))).toEqual([1, 2])
  })
})

describe('a crash sample below 1 (STRATUM_CRASH_SAMPLE=0.5)', () => {
  const half = crash({ STRATUM_CRASH_SAMPLE: '0.5' })
  it('keeps one point per fault mode', () => {
    expect(sampled([3, 4, 6, 7], 0, half)).toEqual([3])
    expect(sampled([3, 4, 6, 7], 0.5, half)).toEqual([6])
  })
  it('runs each operation with one fault mode, the modes taking turns', () => {
    expect([0, 1, 2, 3].map((i) => faultModes(i, half))).toEqual([['crash'], ['fail'], ['crash'], ['fail']])
    expect(faultModes(1, crash({ STRATUM_CRASH_SAMPLE: '1' }))).toEqual(['crash', 'fail'])
    expect(faultModes(0, crash({}))).toEqual(['crash', 'fail'])
  })
})
