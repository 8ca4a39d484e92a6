/**
 * packageLayer: the changes of `layer` against `parent` as a deterministic, uncompressed
 * OCI layer tar. The plan (names, metadata, hard links) is computed up front, so failures
 * to read the snapshots are a Left; file contents are then streamed from the layer's
 * snapshot, on each pass over the tar (a snapshot does not change: every pass gives the same bytes). A failure while streaming (which a snapshot should never give) is thrown from
 * the iterator as a StorageError value.
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Capabilities, Driver } from '../driver.js'
import { err, ioError, type StorageError } from '../errors.js'
import type { FileTree, FileType } from '../fs.js'
import type { SnapshotName } from '../names.js'
import { devMajor, devMinor } from './devices.js'
import { planLayer, type PlanItem } from './package-plan.js'
import { fail, must, runSteps } from './run.js'
import { encodeHeader, END_OF_ARCHIVE, padding, type TarEntry, type TarType } from './tar-header.js'

const TYPES: Partial<Record<FileType, TarType>> = {
  F: 'file',
  '/': 'dir',
  '@': 'symlink',
  '|': 'fifo',
  B: 'block',
  C: 'char',
}
const MAX_DEV = 0o7777777

const toEntry = async (tree: FileTree, caps: Capabilities, item: PlanItem): Promise<TarEntry> => {
  if (item.kind === 'whiteout') return { path: item.path, type: 'file', mode: 0, uid: 0, gid: 0, mtimeMs: 0, size: 0 }
  const st = item.stat
  const base = { path: item.path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtimeMs: st.mtimeMs }
  const xattrNames = caps.xattrs ? [...(await must(tree.listXattrs(item.path)))].sort() : []
  const xattrs: (readonly [string, Uint8Array])[] = []
  for (const n of xattrNames) xattrs.push([n, await must(tree.getXattr(item.path, n))])
  if (item.linkTo !== undefined) return { ...base, type: 'hardlink', size: 0, linkname: item.linkTo, xattrs }
  const type = TYPES[st.type]
  if (type === undefined)
    return fail(err('Unsupported', { what: `file '${item.path}' of type '${st.type}' in a layer tar` }))
  if (type === 'symlink') return { ...base, type, size: 0, linkname: await must(tree.readlink(item.path)), xattrs }
  if (type === 'block' || type === 'char') {
    const [devmajor, devminor] = [devMajor(st.rdev), devMinor(st.rdev)]
    if (devmajor > MAX_DEV || devminor > MAX_DEV)
      fail(err('Unsupported', { what: `device number of '${item.path}' too large for a tar header` }))
    return { ...base, type, size: 0, devmajor, devminor, xattrs }
  }
  return { ...base, type, size: type === 'file' ? st.size : 0, xattrs }
}

async function* tarStream(
  tree: FileTree,
  entries: readonly TarEntry[],
  onEntry: (() => void) | undefined,
): AsyncGenerator<Uint8Array> {
  for (const e of entries) {
    onEntry?.()
    yield encodeHeader(e)
    if (e.type !== 'file' || e.size === 0) continue
    const r = await tree.read(e.path)()
    if (r._tag === 'Left') throw r.left
    let seen = 0
    for await (const chunk of r.right) {
      seen += chunk.byteLength
      if (seen > e.size) break
      yield chunk
    }
    if (seen !== e.size)
      throw ioError('EIO', e.path, `file changed size while packaging: ${seen} bytes read, ${e.size} expected`)
    yield padding(e.size)
  }
  yield END_OF_ARCHIVE
}

/**
 * The layer's changes against its parent, as a deterministic uncompressed OCI layer tar that can be
 * read more than once (the plan is made once); `onEntry` hears of each entry as its header is written.
 */
export const packageLayer = (
  driver: Driver,
  parent: SnapshotName,
  layer: SnapshotName,
  onEntry?: () => void,
): TaskEither<StorageError, AsyncIterable<Uint8Array>> =>
  runSteps(
    async () => {
      const records = await must(driver.diff(parent, layer))
      const [p, l] = [await must(driver.fs(parent)), await must(driver.fs(layer))]
      const plan = await planLayer(records, p, l, { xattrs: driver.capabilities.xattrs })
      const entries: TarEntry[] = []
      for (const item of plan) entries.push(await toEntry(l, driver.capabilities, item))
      return { [Symbol.asyncIterator]: () => tarStream(l, entries, onEntry) }
    },
    (u) => ioError('EIO', layer, `packageLayer: ${u instanceof Error ? u.message : String(u)}`, u),
  )
