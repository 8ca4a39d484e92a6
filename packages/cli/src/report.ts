/**
 * What a command hands back: one JSON document (printed with --json) and the same facts as
 * human lines. `emit` prints exactly one of the two on stdout (on stderr when stdout carries data).
 */
import type { Io } from './io.js'

/** The `version` field of every --json document (docs/cli-json.md): raised when a field is removed or changes meaning. */
export const JSON_VERSION = 1

export interface Report {
  readonly json: object
  readonly text: readonly string[]
  /** 'stderr' when stdout carried the command's data (`package -o -`) */
  readonly channel?: 'stdout' | 'stderr'
}

export const report = (json: object, text: readonly string[], channel: 'stdout' | 'stderr' = 'stdout'): Report => ({
  json,
  text,
  channel,
})

export const emit = (io: Io, r: Report, asJson: boolean): void => {
  const put = r.channel === 'stderr' ? io.stderr : io.stdout
  if (asJson) put(`${JSON.stringify({ version: JSON_VERSION, ...r.json })}\n`)
  else if (r.text.length > 0) put(`${r.text.join('\n')}\n`)
}
