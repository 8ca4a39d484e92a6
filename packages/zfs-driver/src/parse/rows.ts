/** Shared helpers for parsing zfs's tab-separated output with io-ts codecs. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { PathReporter } from 'io-ts/lib/PathReporter.js'
import { DatasetName, SnapshotName, err, type AnyName, type StorageError } from '@stratum/core'

/** Lines of a command's output, without the final empty one. */
export const outputLines = (text: string): string[] => {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** An `Io` error that shows the output zfs gave and what was expected of it. */
export const badOutput = (what: string, subject: string, text: string, reason: string): StorageError =>
  err('Io', { code: 'EIO', path: subject, message: `unexpected ${what} output ${JSON.stringify(text)}: ${reason}` })

/** Decodes with a codec; a failure becomes `badOutput` naming the line. */
export const decodeWith =
  <A>(codec: t.Decoder<unknown, A>, what: string, subject: string, line: string) =>
  (input: unknown): E.Either<StorageError, A> => {
    const r = codec.decode(input)
    return E.isRight(r) ? E.right(r.right) : E.left(badOutput(what, subject, line, PathReporter.report(r).join('; ')))
  }

/** A dataset or snapshot name as zfs prints it. */
export const AnyNameC: t.Type<AnyName, string, unknown> = t.union([DatasetName, SnapshotName]) as unknown as t.Type<
  AnyName,
  string,
  unknown
>

/** `-` (none) or a snapshot name, as in the origin column. */
export const OriginC: t.Type<SnapshotName | null, string, unknown> = new t.Type<SnapshotName | null, string, unknown>(
  'Origin',
  (u): u is SnapshotName | null => u === null || SnapshotName.is(u),
  (u, c) => (u === '-' ? t.success(null) : SnapshotName.validate(u, c)),
  (a) => a ?? '-',
)

/** A non-negative integer printed with -p. */
export const IntegerC = new t.Type<number, string, unknown>(
  'Integer',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) =>
    typeof u === 'string' && /^\d+$/.test(u) && Number.isSafeInteger(Number(u))
      ? t.success(Number(u))
      : t.failure(u, c),
  (a) => String(a),
)

/** A comma-separated list of dataset names (`clones`); empty or `-` is none. */
export const NameListC: t.Type<readonly DatasetName[], string, unknown> = new t.Type<
  readonly DatasetName[],
  string,
  unknown
>(
  'NameList',
  (u): u is readonly DatasetName[] => Array.isArray(u) && u.every((x) => DatasetName.is(x)),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    if (u === '' || u === '-') return t.success([])
    const parts = u.split(',')
    return parts.every((p) => DatasetName.is(p)) ? t.success(parts as DatasetName[]) : t.failure(u, c)
  },
  (a) => a.join(','),
)
