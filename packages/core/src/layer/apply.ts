/**
 * applyLayer: an uncompressed OCI layer tar (a changeset with whiteouts and opaque
 * directories) applied onto a file tree, safely (docs/LAYER-SECURITY.md): every name is
 * normalized and resolved inside the root, links are checked, sizes and counts are bounded
 * while streaming, and every failure is a tagged error naming the tar entry. A failed apply
 * may leave the tree half-written: the layer store applies onto a temporary clone and
 * publishes nothing on failure (U4).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { nameByteLength as bytesOf } from '../byte-names.js'
import type { Capabilities } from '../driver.js'
import { err, ioError, type StorageError } from '../errors.js'
import type { Bytes, FileTree } from '../fs.js'
import { applyPlain } from './apply-entry.js'
import { applyNow } from './apply-now.js'
import { type ApplyLimits, type ApplyState, newState } from './apply-state.js'
import { classifyEntry, compareBytes, normalizeEntryName } from './names.js'
import { type RawEntry, readTar } from './read-tar.js'
import { forEntry, lstatOrNone } from './resolve.js'
import { carried, fail, must, runSteps } from './run.js'
import type { TarHeader } from './tar-entry.js'
import { applyOpaque, applyWhiteout } from './whiteout.js'
import { meteredTree, RESOLUTION_WORK } from './work-meter.js'

export type { ApplyLimits } from './apply-state.js'

/** The limits applied when the store options name none. */
export const DEFAULT_APPLY_LIMITS: ApplyLimits = {
  maxEntries: 1_000_000,
  maxPathBytes: 4096,
  maxFileBytes: 16 * 2 ** 30,
  maxTotalBytes: 64 * 2 ** 30,
  maxResolveSteps: 2 ** 28,
}

/** A regular file at most this big is read whole before it is written (copied once where it spans input chunks). */
const GATHER_BYTES = 1 << 23

/** A file name component longer than this is refused (NAME_MAX of ZFS and Linux). */
export const MAX_NAME_COMPONENT_BYTES = 255

/** What applying a layer tar did. */
export interface ApplyResult {
  /** tar entries read, whiteouts included */
  readonly entries: number
  /** bytes of entry data */
  readonly bytes: number
}

const limit = (what: string, max: number, entry: string): never =>
  fail(err('LimitExceeded', { what, limit: max, entry }))

/** Whether `name` is at most `max` bytes; a UTF-16 unit is at most 3 UTF-8 bytes, so short names skip the encoding. */
const fits = (name: string, max: number): boolean => name.length * 3 <= max || bytesOf(name) <= max

const checkLimits = (s: ApplyState, h: TarHeader): void => {
  const entry = h.name
  if (++s.entries > s.limits.maxEntries) limit('tar entries', s.limits.maxEntries, entry)
  if (!fits(h.name, s.limits.maxPathBytes)) limit('entry name bytes', s.limits.maxPathBytes, entry)
  if (h.linkname !== undefined && !fits(h.linkname, s.limits.maxPathBytes))
    limit('link target bytes', s.limits.maxPathBytes, entry)
  if (!fits(h.name, MAX_NAME_COMPONENT_BYTES) && h.name.split('/').some((c) => !fits(c, MAX_NAME_COMPONENT_BYTES)))
    limit('name component bytes', MAX_NAME_COMPONENT_BYTES, entry)
  if (h.size > s.limits.maxFileBytes) limit('file bytes', s.limits.maxFileBytes, entry)
  if (s.bytes + h.size > s.limits.maxTotalBytes) limit('total bytes', s.limits.maxTotalBytes, entry)
  s.bytes += h.size
}

/** Applies one entry: at once (undefined) when it is the common case on a synchronous tree, else a promise. */
const applyEntry = (s: ApplyState, { header: h, body, whole, gather }: RawEntry): Promise<void> | undefined => {
  checkLimits(s, h)
  const path = normalizeEntryName(h.name)
  if (E.isLeft(path)) return fail(path.left)
  const kind = classifyEntry(h.name, path.right)
  if (E.isLeft(kind)) return fail(kind.left)
  const k = kind.right
  switch (k.kind) {
    case 'whiteout':
      return applyWhiteout(s, h.name, k.target)
    case 'opaque':
      return applyOpaque(s, h.name, k.dir)
    case 'meta':
      return undefined
    case 'plain':
      if (applyNow(s, h, k.path, whole)) return undefined
      // a small file the reader holds only in part is read whole, to go the common way too
      if (h.type !== 'file' || s.tree.now === undefined || h.size > GATHER_BYTES)
        return applyPlain(s, h, k.path, body, whole)
      return gather().then((bytes) => {
        const held = (): Bytes => bytes
        if (!applyNow(s, h, k.path, held)) return applyPlain(s, h, k.path, body, held)
      })
  }
}

/** Directory modes and mtimes, set last and children first, so that writing children does not disturb them (M3, M6). */
const finishDirectories = async (s: ApplyState): Promise<void> => {
  const dirs = [...s.dirMeta.entries()].sort(([a], [b]) => compareBytes(b, a))
  for (const [path, meta] of dirs) {
    // with nothing removed (no object recorded), each path still names the directory recorded
    if (meta.ino !== undefined) {
      const st = await lstatOrNone(s.tree, path)
      if (st === undefined || st.type !== '/' || st.ino !== meta.ino) continue
    }
    await must(s.tree.chmod(path, meta.mode))
    await must(s.tree.utimes(path, meta.mtimeMs))
  }
}

/** Apply an UNCOMPRESSED layer tar (OCI changeset: whiteouts, opaque dirs) onto `tree`. */
export const applyLayer = (
  tree: FileTree,
  tar: AsyncIterable<Uint8Array>,
  opts: {
    readonly capabilities: Capabilities
    readonly limits?: Partial<ApplyLimits>
    /** hears of each entry applied (progress) */
    readonly onEntry?: () => void
  },
): TaskEither<StorageError, ApplyResult> =>
  runSteps(
    async () => {
      const limits = { ...DEFAULT_APPLY_LIMITS, ...opts.limits }
      const s = newState(meteredTree(tree, limits.maxResolveSteps), opts.capabilities, limits)
      /** a write the tree queued that failed (it came first), named by its entry */
      const settled = (): void => {
        const r = s.tree.now?.settle?.()
        if (r !== undefined && E.isLeft(r)) fail(forEntry(r.left.label, r.left.error))
      }
      /** a failure of the tree while applying `entry`, named by it */
      const named = (entry: string, u: unknown): never => {
        settled()
        const e = carried(u)
        if (e?._tag === 'Io') fail(forEntry(entry, e))
        if (e?._tag === 'LimitExceeded' && e.what === RESOLUTION_WORK) fail({ ...e, entry })
        throw u
      }
      try {
        for await (const e of readTar(tar)) {
          let later: Promise<void> | undefined
          try {
            later = applyEntry(s, e)
          } catch (u) {
            named(e.header.name, u)
          }
          if (later !== undefined) await later.catch((u) => named(e.header.name, u))
          opts.onEntry?.()
        }
        settled()
      } catch (u) {
        // a failure of the input too: no write is left running, and one that failed before came first
        settled()
        throw u
      }
      await finishDirectories(s).catch((u) => {
        const e = carried(u)
        if (e?._tag === 'LimitExceeded' && e.what === RESOLUTION_WORK)
          fail({ ...e, entry: '(directory metadata, set after all entries)' })
        throw u
      })
      return { entries: s.entries, bytes: s.bytes }
    },
    (u) => ioError('EIO', '', `applyLayer: ${u instanceof Error ? u.message : String(u)}`, u),
  )
