/**
 * A child store process: a driver's child script (it calls storeChildMain) run in a new Node
 * process, sources through tsx, cwd the repository root, in a process group of its own.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { join } from 'node:path'
import { groupAlive } from './process-group.js'
import { sleep } from './settings.js'

export interface Child {
  readonly proc: ChildProcessWithoutNullStreams
  readonly out: () => string
  readonly err: () => string
  readonly exited: Promise<number | null>
}

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..')

export const spawnChild = (script: string, args: readonly string[]): Child => {
  const proc = spawn(process.execPath, ['--conditions=@stratum/source', '--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  let err = ''
  proc.stdout.on('data', (b: Buffer) => {
    out += b.toString()
  })
  proc.stderr.on('data', (b: Buffer) => {
    err += b.toString()
  })
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)))
  return { proc, out: () => out, err: () => err, exited }
}

export const waitFor = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(10)
  }
}

/** Waits for the child's 'ready' line (printed after its first full cycle); fails if it exits first. */
export const waitReady = (child: Child, ms: number): Promise<void> =>
  Promise.race([
    waitFor(() => /^ready\b/m.test(child.out()), ms, `'ready' from child ${child.proc.pid}`),
    child.exited.then((c) => {
      throw new Error(`child ${child.proc.pid} exited ${c} before 'ready': ${child.err()}`)
    }),
  ])

/**
 * SIGKILLs the child (with `commands`, every process it started too: a zfs command dies
 * mid-run); resolves once none of them runs, so the commands a killed child left running
 * have finished their change before anyone looks.
 */
export const killGroup = async (child: Child, goneMs: number, commands = true): Promise<void> => {
  const pgid = child.proc.pid!
  if (commands) {
    try {
      process.kill(-pgid, 'SIGKILL')
    } catch {
      child.proc.kill('SIGKILL')
    }
  } else child.proc.kill('SIGKILL')
  await child.exited
  await waitFor(() => !groupAlive(pgid), goneMs, `the processes of group ${pgid} to be gone`)
}

/** Kills what is left of children that a failed check abandoned, and waits (bounded) for them to be gone. */
export const reap = async (children: readonly Child[], goneMs: number): Promise<void> => {
  for (const c of children) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) await killGroup(c, goneMs).catch(() => undefined)
  }
}
