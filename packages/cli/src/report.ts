/**
 * What a command hands back: one JSON document (printed with --json) and the same facts as
 * human lines. `emit` prints exactly one of the two on stdout.
 */
import type { Io } from './io.js'

export interface Report {
  readonly json: unknown
  readonly text: readonly string[]
}

export const report = (json: unknown, text: readonly string[]): Report => ({ json, text })

export const emit = (io: Io, r: Report, asJson: boolean): void => {
  if (asJson) io.stdout(`${JSON.stringify(r.json)}\n`)
  else if (r.text.length > 0) io.stdout(`${r.text.join('\n')}\n`)
}
