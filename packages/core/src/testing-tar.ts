/**
 * The one tar builder of the tests and the conformance suite: fixtures written with tar-stream's
 * pack, whatever header a hostile tar may carry.
 */
import * as tar from 'tar-stream'

/** One tar entry of a test fixture: any header a hostile tar may carry. */
export interface FixtureEntry {
  readonly name: string
  readonly type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device' | 'block-device'
  readonly body?: string | Uint8Array
  readonly linkname?: string
  /** permission bits; 0 is written as 0 (tar-stream's pack would default it) */
  readonly mode?: number
  readonly uid?: number
  readonly gid?: number
  readonly mtimeMs?: number
  readonly devmajor?: number
  readonly devminor?: number
  readonly uname?: string
  readonly gname?: string
  /** extra PAX records; a name with NUL or over 100 bytes goes to PAX by itself */
  readonly pax?: Readonly<Record<string, string>>
}

/** The mtime of every entry that gives none. */
export const MTIME = 1_600_000_000_000
const S_IFREG = 0o100000

/** An uncompressed tar of the entries, in order, written by tar-stream's pack. */
export const tarOf = async (entries: readonly FixtureEntry[]): Promise<Uint8Array> => {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => {
      chunks.push(c as Buffer)
    })
    pack.on('end', () => resolve())
    pack.on('error', reject)
  })
  for (const e of entries) {
    const type = e.type ?? 'file'
    const body =
      type === 'file'
        ? typeof e.body === 'string'
          ? Buffer.from(e.body)
          : Buffer.from(e.body ?? new Uint8Array())
        : undefined
    const mode = e.mode ?? (type === 'directory' ? 0o755 : 0o644)
    const needsPax = e.pax !== undefined || e.name.includes('\u0000')
    const header = {
      name: e.name,
      type,
      mode: mode === 0 ? S_IFREG : mode,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: new Date(e.mtimeMs ?? MTIME),
      ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
      ...(e.uname === undefined ? {} : { uname: e.uname }),
      ...(e.gname === undefined ? {} : { gname: e.gname }),
      ...(e.devmajor === undefined ? {} : { devmajor: e.devmajor, devminor: e.devminor ?? 0 }),
      ...(needsPax ? { pax: { ...e.pax } } : {}),
    }
    if (body !== undefined) pack.entry(header, body)
    else pack.entry(header)
  }
  pack.finalize()
  await done
  return new Uint8Array(Buffer.concat(chunks))
}
