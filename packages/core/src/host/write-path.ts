/**
 * Writing a host path a user named (`package -o`, `export`, image layouts, state files), by
 * one rule (the README's CLI section states it):
 * - symlinks are followed, resolved once before anything is written, as a shell's `>` does;
 * - a new name or an existing regular file is written atomically: a temp file beside the
 *   target, renamed over it (a failure leaves the old content);
 * - an existing FIFO or character device (a pipe, a terminal, /dev/null) is written into,
 *   never replaced; a directory is EISDIR; a block device or a socket is refused (EINVAL).
 * Every failure is an `Io` error naming the path as the caller gave it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { constants, createWriteStream, type Stats } from 'node:fs'
import { lstat, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { Content } from '../fs.js'
import type { Digest } from '../oci/digest.js'
import { toStorageError } from '../oci/stream.js'
import { StorageFailure } from '../failure.js'
import { hostFail, hostIoError } from './errno.js'

/** Where the bytes go: `replace` a new name or regular file atomically, or write `into` a FIFO or device. */
export interface HostTarget {
  readonly how: 'replace' | 'into'
  readonly path: string
}

/** What writing a blob file wrote: its size and digest. */
export interface Written {
  readonly bytes: number
  readonly digest: Digest
}

const orMissing = (p: Promise<Stats>): Promise<Stats | undefined> =>
  p.catch((e: { code?: string }) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)))

const judge = async (p: string, st: Stats): Promise<HostTarget> => {
  if (st.isFile()) return { how: 'replace', path: await realpath(p) }
  if (st.isDirectory()) return hostFail('EISDIR', 'is a directory')
  if (st.isFIFO() || st.isCharacterDevice()) return { how: 'into', path: p }
  return hostFail('EINVAL', `is a ${st.isBlockDevice() ? 'block device' : 'socket'}: refused`)
}

/** Resolves `path` by the rule above (at most 40 symlinks). */
export const resolveTarget = async (path: string): Promise<HostTarget> => {
  let p = resolve(path)
  for (let hops = 0; hops <= 40; hops++) {
    const st = await orMissing(lstat(p))
    if (st === undefined) return { how: 'replace', path: join(await realpath(dirname(p)), basename(p)) }
    if (!st.isSymbolicLink()) return judge(p, st)
    // a /proc/self/fd/N link to a pipe or a terminal names no path: judge what it opens
    const opened = await orMissing(stat(p))
    if (opened !== undefined && !opened.isFile() && !opened.isDirectory()) return judge(p, opened)
    p = resolve(dirname(p), await readlink(p))
  }
  return hostFail('ELOOP', 'too many symlinks')
}

const chunksOf = (content: Content): AsyncIterable<Uint8Array> =>
  content instanceof Uint8Array
    ? (async function* () {
        yield content
      })()
    : content

/** Streams `content` to a write stream, hashing it. */
const send = async (content: Content, out: NodeJS.WritableStream): Promise<Written> => {
  const hash = createHash('sha256')
  let bytes = 0
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const c of chunksOf(content)) {
      hash.update(c)
      bytes += c.byteLength
      yield c
    }
  }
  await pipeline(Readable.from(hashed()), out)
  return { bytes, digest: `sha256:${hash.digest('hex')}` as Digest }
}

/** `<path>.tmp-*` then a rename over `path` (a symlink at `path` itself is replaced, never followed). */
export const replaceAtomically = async (path: string, content: Content): Promise<Written> => {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    const w = await send(content, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }))
    await rename(tmp, path)
    return w
  } catch (e) {
    await unlink(tmp).catch(() => undefined)
    throw e
  }
}

const failure =
  (path: string) =>
  (e: unknown): StorageError =>
    e instanceof StorageFailure
      ? e.error
      : (e as { code?: unknown } | null)?.code !== undefined
        ? hostIoError(path)(e)
        : toStorageError(e, path)

/** Writes `content` to the host path `path` by the rule above; gives its size and sha256. */
export const writeHostPath = (path: string, content: Content): TE.TaskEither<StorageError, Written> =>
  TE.tryCatch(async () => {
    const t = await resolveTarget(path)
    return t.how === 'replace'
      ? replaceAtomically(t.path, content)
      : send(content, (await open(t.path, constants.O_WRONLY | constants.O_NOCTTY)).createWriteStream())
  }, failure(path))
