/**
 * Ctrl-C or SIGTERM while a progress bar has the terminal: put the terminal back (cursor shown),
 * then exit 128 + the signal number like a shell. Half-done work is rolled back by the next open.
 */
import type { EventEmitter } from 'node:events'

const EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 }

/** Where signals arrive and how the process ends (the real process, or a test's stand-in). */
export interface Signals {
  readonly target: EventEmitter
  readonly exit: (code: number) => void
}

export const PROCESS_SIGNALS: Signals = { target: process, exit: (code) => process.exit(code) }

/** Runs `restore` and exits on SIGINT/SIGTERM until the returned function is called. */
export const onInterrupt = (restore: () => void, signals: Signals = PROCESS_SIGNALS): (() => void) => {
  const release = (): void => {
    for (const [signal, h] of handlers) signals.target.off(signal, h)
  }
  const handlers = Object.entries(EXIT).map(([signal, code]) => {
    const h = (): void => {
      release()
      restore()
      signals.exit(code)
    }
    signals.target.on(signal, h)
    return [signal, h] as const
  })
  return release
}
