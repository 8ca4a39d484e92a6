/**
 * How the driver runs the `zfs` command: an `Executor` takes the full argv (argv[0] is the
 * program) and resolves with the exit code, stdout as bytes and stderr as text. It never
 * rejects for a non-zero exit; it may reject when the program cannot be started, which
 * the runner (`makeRunner` in run.ts) turns into an `Io` error. No shell is involved anywhere.
 */
import { execFile } from 'node:child_process'

/** A finished command's exit code and output. */
export interface ExecResult {
  readonly code: number
  readonly stdout: Buffer
  readonly stderr: string
}

/** Runs an argv (no shell) and gives its result. */
export type Executor = (argv: readonly string[]) => Promise<ExecResult>

/** zfs list/diff output of a big store can be large; stay far above it. */
const MAX_BUFFER = 1 << 30

/** Runs argv[0] with argv[1..] through execFile (no shell), stdout kept as a Buffer. */
export const localExecutor: Executor = (argv) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = argv
    if (file === undefined) {
      reject(new Error('empty argv'))
      return
    }
    execFile(
      file,
      args,
      { encoding: 'buffer', maxBuffer: MAX_BUFFER, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        const out = Buffer.isBuffer(stdout) ? stdout : Buffer.from(stdout)
        const errText = Buffer.isBuffer(stderr) ? stderr.toString('utf8') : String(stderr)
        if (error === null) {
          resolve({ code: 0, stdout: out, stderr: errText })
          return
        }
        const code = (error as { code?: unknown }).code
        // a numeric code is the exit status; a string code (ENOENT, ERR_CHILD_PROCESS_STDIO_MAXBUFFER) is a spawn failure
        if (typeof code === 'number') resolve({ code, stdout: out, stderr: errText })
        else reject(error)
      },
    )
  })
