/**
 * Ctrl-C or SIGTERM during a command: a progress bar puts the terminal back (cursor shown), and
 * the command's AbortSignal fires, so the library undoes the task's partial work (as after a
 * crash) and the command exits 128 + the signal number like a shell. A second signal exits at once.
 */
import type { EventEmitter } from 'node:events'

const EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 }

/** Where signals arrive and how the process ends (the real process, or a test's stand-in). */
export interface Signals {
  readonly target: EventEmitter
  readonly exit: (code: number) => void
}

export const PROCESS_SIGNALS: Signals = { target: process, exit: (code) => process.exit(code) }

/** Calls `h` with the exit code on SIGINT/SIGTERM until the returned function is called. */
const listen = (signals: Signals, h: (code: number) => void): (() => void) => {
  const handlers = Object.entries(EXIT).map(([signal, code]) => {
    const f = (): void => h(code)
    signals.target.on(signal, f)
    return [signal, f] as const
  })
  return () => {
    for (const [signal, f] of handlers) signals.target.off(signal, f)
  }
}

/** Runs `restore` on SIGINT/SIGTERM (once) until the returned function is called. */
export const onInterrupt = (restore: () => void, signals: Signals = PROCESS_SIGNALS): (() => void) => {
  const release = listen(signals, () => {
    release()
    restore()
  })
  return release
}

/** One command's interrupt: its signal, and the exit code once a signal came. */
export interface Interrupt {
  readonly signal: AbortSignal
  /** 130 after SIGINT, 143 after SIGTERM, undefined while none came */
  readonly code: () => number | undefined
  readonly release: () => void
}

/** The first signal aborts `signal`; a second one exits with its code at once. */
export const watchInterrupt = (signals: Signals = PROCESS_SIGNALS): Interrupt => {
  const ac = new AbortController()
  let code: number | undefined
  const release = listen(signals, (c) => {
    if (code !== undefined) return signals.exit(c)
    code = c
    ac.abort()
  })
  return { signal: ac.signal, code: () => code, release }
}
