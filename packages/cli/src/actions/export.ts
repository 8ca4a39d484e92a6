/** `stratum export` (commands/export.ts): the store's exportTree into zfs-driver's root-confined hostFileTree. */
import { readdir } from 'node:fs/promises'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '@stratum/core'
import { mkdirs } from '@stratum/core/internal'
import { hostFileTree, xattrSupport } from '@stratum/zfs-driver'
import type { Action } from '../command.js'
import { hostError } from '../host.js'
import { startProgress, stoppingBar } from '../progress.js'
import { report } from '../report.js'

/** Creates `dir` and its parents if missing (core's mkdirs: symlinks followed, no loop under /proc); it must be an empty directory. */
const emptyTarget = (dir: string): TE.TaskEither<StorageError, void> =>
  pipe(
    mkdirs(dir),
    TE.flatMap(() =>
      TE.tryCatch(async () => {
        const names = await readdir(dir)
        if (names.length > 0) throw Object.assign(new Error('export target is not empty'), { code: 'EEXIST' })
      }, hostError(dir)),
    ),
  )

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0

export const exportAction =
  (srcArg: string, dir: string): Action =>
  (ctx) =>
    pipe(
      ctx.session('read'),
      TE.flatMap((session) => {
        const bar = startProgress(ctx.progress, 'export', 'entries')
        const target = pipe(
          emptyTarget(dir),
          TE.map(() => hostFileTree(dir, { readOnly: false, deviceNodes: isRoot() })),
        )
        const copy = session.store.exportTree(
          srcArg,
          target,
          {
            owners: isRoot(),
            ...(xattrSupport() ? { xattrs: (n: string) => isRoot() || n.startsWith('user.') } : {}),
          },
          { onProgress: (p) => bar.set(p.entries), signal: ctx.signal },
        )
        return pipe(
          copy,
          stoppingBar(bar),
          // the user's words name the directory too
          TE.mapLeft((e) =>
            e._tag === 'Cancelled'
              ? { ...e, what: e.what.replace(`export of ${srcArg}`, `export of ${srcArg} to ${dir}`) }
              : e,
          ),
        )
      }),
      TE.map(({ source, dataset, entries, bytes }) =>
        report({ source: source.kind === 'layer' ? source.layer : source.id, dataset, dir, entries, bytes }, [
          `exported ${entries} entries (${bytes} bytes) from ${dataset} to ${dir}`,
        ]),
      ),
    )
