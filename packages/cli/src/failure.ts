/**
 * How a failed command reports: ONE line on stderr, `stratum: <message>` in the user's words
 * (words.ts; else `<tag>: <thing>: <reason>`), then `hint: ...` when one helps; control
 * characters (ESC, CR, ... from entry names) escaped as \xHH so nothing reaches the terminal
 * raw. With --json also `{"version": 1, "error": {"tag", "message", "hint"?, ...fields}}` on stdout.
 */
import { isStorageError, type StorageError } from '@stratum/core'
import type { Io } from './io.js'
import { JSON_VERSION } from './report.js'
import { inUserWords, type Known, type Words } from './words.js'

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim()

/** C0 and C1 control characters and DEL as \xHH (a backslash as \\, so the line reads back). */
export const escapeControls = (s: string): string =>
  s.replace(/[\\\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  )

const fieldsOf = (e: StorageError): Record<string, unknown> => {
  const { _tag, ...rest } = e as StorageError & { cause?: unknown }
  delete (rest as { cause?: unknown }).cause
  return rest
}

/** Reports `e` (a StorageError, or anything else thrown: an internal error). */
export const reportFailure = (io: Io, e: unknown, asJson: boolean, known: Known = {}): void => {
  const words: Words = isStorageError(e)
    ? inUserWords(e, known)
    : { message: `internal error: ${e instanceof Error ? e.message : String(e)}` }
  io.stderr(`stratum: ${escapeControls(oneLine(words.message))}\n`)
  if (words.hint !== undefined) io.stderr(`hint: ${escapeControls(oneLine(words.hint))}\n`)
  if (asJson) {
    const error = isStorageError(e) ? { tag: e._tag, ...fieldsOf(e), ...words } : { tag: 'internal', ...words }
    io.stdout(`${JSON.stringify({ version: JSON_VERSION, error })}\n`)
  }
}
