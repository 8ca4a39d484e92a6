/**
 * Where a command's output goes. `main` takes an `Io` so tests and the demo can run the CLI
 * in-process; `processIo()` is the real process. A progress bar is drawn only on `progress`,
 * which is the terminal's stderr when there is one, and never with --json.
 */
import { PROCESS_SIGNALS, type Signals } from './interrupt.js'

/** The CLI's terminal: output streams, whether they are a TTY, and the signals it hears. */
export interface Io {
  /** text on stdout */
  readonly stdout: (text: string) => void
  /** bytes on stdout (`package -o -`), resolved once the chunk is taken (back-pressure) */
  readonly stdoutBytes: (chunk: Uint8Array) => Promise<void>
  /** text on stderr (messages, errors) */
  readonly stderr: (text: string) => void
  /** where progress bars are drawn (a TTY), or undefined for none */
  readonly progress: NodeJS.WritableStream | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** where SIGINT/SIGTERM arrive (the process), or undefined when nothing interrupts */
  readonly signals?: Signals
}

/** The real process's stdout, stderr and signals. */
export const processIo = (): Io => ({
  stdout: (s) => void process.stdout.write(s),
  stdoutBytes: (c) =>
    new Promise((resolve, reject) => {
      process.stdout.write(c, (e) => (e ? reject(e) : resolve()))
    }),
  stderr: (s) => void process.stderr.write(s),
  progress: process.stderr.isTTY === true ? process.stderr : undefined,
  env: process.env,
  cwd: process.cwd(),
  signals: PROCESS_SIGNALS,
})

/** An `Io` that records what was written (tests). */
export interface CapturedIo extends Io {
  /** everything written with stdout */
  readonly out: () => string
  /** everything written with stdoutBytes */
  readonly outBytes: () => Buffer
  /** everything written with stderr */
  readonly err: () => string
}

/** An Io that records what is written (no progress bars). */
export const captureIo = (
  opts: { readonly env?: Record<string, string | undefined>; readonly cwd?: string } = {},
): CapturedIo => {
  let out = ''
  let err = ''
  const bytes: Buffer[] = []
  return {
    stdout: (s) => {
      out += s
    },
    stdoutBytes: async (c) => {
      bytes.push(Buffer.from(c))
    },
    outBytes: () => Buffer.concat(bytes),
    stderr: (s) => {
      err += s
    },
    progress: undefined,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  }
}
