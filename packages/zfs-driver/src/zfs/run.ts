/** Runs one zfs command and turns its failure into a StorageError. */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '@stratum/core'
import type { ExecResult, Executor } from './executor.js'
import { mapZfsError } from './errors.js'
import { releaseHostDescriptors } from '../hostfs/dir-cache.js'

export interface Runner {
  /** `args` without the program: `['create', 'p/a']`; `subject` names the dataset for errors */
  (args: readonly string[], subject: string): TE.TaskEither<StorageError, Buffer>
}

/** `program`: 'zfs' by default; 'zpool' for the pool commands (sync). */
export const makeRunner =
  (exec: Executor, prefix: readonly string[], program: 'zfs' | 'zpool' = 'zfs'): Runner =>
  (args, subject) => {
    const argv = [...prefix, program, ...args]
    return async () => {
      // a directory descriptor kept open by a host file tree would keep zfs from unmounting its dataset
      releaseHostDescriptors()
      let res: ExecResult
      try {
        res = await exec(argv)
      } catch (cause) {
        const message = `could not run '${argv.join(' ')}': ${cause instanceof Error ? cause.message : String(cause)}`
        return E.left(err('Io', { code: 'EIO', path: subject, message, cause }))
      }
      return res.code === 0 ? E.right(res.stdout) : E.left(mapZfsError(res.stderr, subject))
    }
  }
