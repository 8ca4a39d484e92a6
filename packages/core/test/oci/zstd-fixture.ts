/** The zstd fixture: a 174 KiB GNU tar (files, a symlink, a hard link) compressed by the zstd tool (-19 --check). */
import { readFileSync } from 'node:fs'
import type { Digest } from '../../src/oci/digest.js'

/** sha256 of `zstd -d fixtures/tree.tar.zst` */
export const TREE_TAR = 'sha256:24153383f8d326fd14f652976bb1770dca3dbf4682aebb9af6872ada977b8a5b' as Digest

export const treeZst = (): Buffer => readFileSync(new URL('./fixtures/tree.tar.zst', import.meta.url))
