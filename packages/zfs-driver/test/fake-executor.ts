/**
 * A fake Executor replaying recorded {argv, code, stdout, stderr}: each recording answers
 * exactly its argv once, in any order; an argv nobody recorded fails the test with the argv.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Executor } from '../src/index.js'

export interface Recording {
  readonly argv: readonly string[]
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface Replay {
  readonly exec: Executor
  /** every argv run, in order */
  readonly calls: string[][]
  /** recordings not asked for */
  readonly unused: () => Recording[]
}

export const replay = (recordings: readonly Recording[]): Replay => {
  const pending = [...recordings]
  const calls: string[][] = []
  const exec: Executor = async (argv) => {
    calls.push([...argv])
    const i = pending.findIndex((r) => r.argv.length === argv.length && r.argv.every((a, k) => a === argv[k]))
    if (i < 0) throw new Error(`fake zfs: no recording for argv ${JSON.stringify(argv)}`)
    const [r] = pending.splice(i, 1)
    return { code: r!.code, stdout: Buffer.from(r!.stdout, 'utf8'), stderr: r!.stderr }
  }
  return { exec, calls, unused: () => [...pending] }
}

const here = dirname(fileURLToPath(import.meta.url))
export const fixture = <A>(rel: string): A => JSON.parse(readFileSync(join(here, 'fixtures', rel), 'utf8')) as A
