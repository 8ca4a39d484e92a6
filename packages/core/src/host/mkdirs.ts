/**
 * `mkdir -p` one component at a time. Node's recursive mkdir loops forever at 100% CPU where
 * mkdir answers ENOENT for a parent that exists (/proc/self/...); here every failure is an
 * `Io` error naming the directory that could not be made. Existing symlinks to directories
 * are followed, as mkdir -p does.
 */
import { mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import { hostFail, hostIoError } from './errno.js'

const isDir = (p: string): Promise<boolean | undefined> =>
  stat(p).then(
    (s) => s.isDirectory(),
    (e: { code?: string }) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)),
  )

/** Creates `dir` and its missing parents (mode 0o755 before umask); an existing non-directory is ENOTDIR. */
export const mkdirs = (dir: string): TE.TaskEither<StorageError, void> => {
  let at = resolve(dir)
  return TE.tryCatch(
    async () => {
      const missing: string[] = []
      for (;;) {
        const d = await isDir(at)
        if (d === true) break
        if (d === false) hostFail('ENOTDIR', 'exists and is not a directory')
        missing.push(at)
        if (dirname(at) === at) break
        at = dirname(at)
      }
      for (const m of missing.reverse()) {
        at = m
        await mkdir(m).catch(async (e: { code?: string }) => {
          if (e.code !== 'EEXIST' || (await isDir(m)) !== true) throw e
        })
      }
    },
    (e) => hostIoError(at)(e),
  )
}
