/**
 * A small tar writer for the demo and the tests (core's deterministic header encoder): each
 * entry given as path, type, and optional body, mode, owner, mtime and link target. Names are
 * written as given, so hostile entries (`../x`, links to `/etc/passwd`) can be built too.
 */
import type { TarType } from '@stratum/core'
import { encodeHeader, END_OF_ARCHIVE } from '@stratum/core/internal'

export interface TarSpec {
  readonly path: string
  readonly type?: TarType
  readonly body?: string | Uint8Array
  readonly mode?: number
  readonly uid?: number
  readonly gid?: number
  readonly mtimeMs?: number
  readonly linkname?: string
  /** extended attributes (PAX `SCHILY.xattr.<name>`), values byte-exact */
  readonly xattrs?: readonly (readonly [string, Uint8Array])[]
}

/** 2021-01-01T00:00:00Z: a fixed mtime so that the same specs give the same bytes. */
export const FIXED_MTIME_MS = 1_609_459_200_000

const pad = (n: number): Uint8Array => new Uint8Array((512 - (n % 512)) % 512)

export const buildTar = (specs: readonly TarSpec[]): Uint8Array => {
  const parts: Uint8Array[] = []
  for (const s of specs) {
    const type = s.type ?? 'file'
    const body = typeof s.body === 'string' ? Buffer.from(s.body) : (s.body ?? new Uint8Array(0))
    const size = type === 'file' ? body.byteLength : 0
    parts.push(
      encodeHeader({
        path: s.path,
        type,
        mode: s.mode ?? (type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644),
        uid: s.uid ?? 0,
        gid: s.gid ?? 0,
        mtimeMs: s.mtimeMs ?? FIXED_MTIME_MS,
        size,
        ...(s.linkname === undefined ? {} : { linkname: s.linkname }),
        ...(s.xattrs === undefined ? {} : { xattrs: s.xattrs }),
      }),
    )
    if (size > 0) parts.push(body, pad(size))
  }
  parts.push(END_OF_ARCHIVE)
  return new Uint8Array(Buffer.concat(parts))
}
