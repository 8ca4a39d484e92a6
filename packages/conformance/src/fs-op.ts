/** The random file operations both fast-check runs share (the model run and the differential run). */

/** an existing entry (`name` undefined) or a new name below an existing entry */
export interface PathPick {
  readonly at: number
  readonly name: string | undefined
}

/** names for new entries: never dataset name components, so a child's mountpoint never meets a file call */
export const NAMES = ['a', 'b', 'c', 'd', 'a/b'] as const
export const CONTENTS = ['', 'x', 'hello', 'hello world\n'] as const

export type FsOp =
  | {
      readonly op: 'write'
      readonly path: PathPick
      readonly content: number
      readonly flag: 'create' | 'truncate' | 'append'
      readonly meta: boolean
      readonly chunked: boolean
    }
  | { readonly op: 'mkdir'; readonly path: PathPick; readonly meta: boolean }
  | { readonly op: 'symlink'; readonly path: PathPick; readonly target: number }
  | { readonly op: 'link'; readonly from: PathPick; readonly path: PathPick }
  | { readonly op: 'unlink' | 'rmdir'; readonly path: PathPick }
  | { readonly op: 'rename'; readonly from: PathPick; readonly path: PathPick }
  | { readonly op: 'chmod'; readonly path: PathPick; readonly mode: number }
  | { readonly op: 'chown'; readonly path: PathPick; readonly uid: number }
  | { readonly op: 'utimes'; readonly path: PathPick; readonly time: number }

/** the content chosen by index `i` */
export const bytes = (i: number): Uint8Array => new TextEncoder().encode(CONTENTS[i % CONTENTS.length]!)
/** the same bytes as a two-chunk stream */
export async function* chunks(b: Uint8Array): AsyncIterable<Uint8Array> {
  yield b.slice(0, 1)
  yield b.slice(1)
}

/** the explicit mtimes file operations set (ms since the epoch) */
export const TIMES = [1_000_000_000_000, 1_500_000_000_000] as const
