/**
 * `stratum export <container-id|layer> <dir>`: writes a layer's (its @extracted snapshot) or a
 * container's tree into a host directory through zfs-driver's root-confined `hostFileTree`.
 * The directory must be empty or absent. Modes and mtimes are always set; owners only as root.
 * Ctrl-C stops the copy and removes what it wrote.
 */
import { readdir } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type AnyName, type ContainerId, type LayerRef, parseContainerId, type StorageError } from '@stratum/core'
import { mkdirs } from '@stratum/core/internal'
import { hostFileTree, xattrSupport } from '@stratum/zfs-driver'
import type { Register } from '../command.js'
import { hostError } from '../host.js'
import { startProgress } from '../progress.js'
import { report } from '../report.js'
import type { Session } from '../session.js'
import { copyTree, emptied } from '../tree/copy.js'

type Source =
  | { readonly kind: 'layer'; readonly ref: LayerRef }
  | { readonly kind: 'container'; readonly id: ContainerId }

/** A container when `runtime/<s>` exists, else a layer reference (image name, chainID, prefix, empty). */
const sourceOf = (session: Session, s: string): TE.TaskEither<StorageError, Source> => {
  const asLayer = pipe(
    session.store.resolveLayer(s),
    TE.map((ref): Source => ({ kind: 'layer', ref })),
  )
  const id = parseContainerId(s)
  if (E.isLeft(id)) return asLayer
  const c = session.store.layout.container(id.right)
  if (E.isLeft(c)) return asLayer
  return pipe(
    session.driver.exists(c.right),
    TE.flatMap((yes) => (yes ? TE.right<StorageError, Source>({ kind: 'container', id: id.right }) : asLayer)),
  )
}

const datasetOfSource = (session: Session, src: Source): E.Either<StorageError, AnyName> =>
  src.kind === 'layer' ? E.right(session.store.layout.layerSnap(src.ref)) : session.store.layout.container(src.id)

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

export const registerExport: Register = (program, run) => {
  program
    .command('export')
    .description("write a layer's or a container's tree into an empty host directory")
    .argument('<source>', 'container id, or a layer: image name, chainID, chainID prefix (12+ hex digits), empty')
    .argument('<dir>', 'host directory to write into: new or empty')
    .action((srcArg: string, dir: string) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.bindTo('session'),
          TE.bind('src', ({ session }) => sourceOf(session, srcArg)),
          TE.bind('name', ({ session, src }) => TE.fromEither(datasetOfSource(session, src))),
          TE.bind('tree', ({ session, name }) => session.driver.fs(name)),
          TE.tap(() => emptyTarget(dir)),
          TE.bind('copied', ({ session, tree }) => {
            const bar = startProgress(ctx.progress, 'export', 'entries')
            const target = hostFileTree(dir, { readOnly: false, deviceNodes: isRoot() })
            const xattrs =
              session.driver.capabilities.xattrs && xattrSupport()
                ? (n: string) => isRoot() || n.startsWith('user.')
                : undefined
            return pipe(
              copyTree(tree, target, {
                owners: isRoot(),
                onEntry: () => bar.add(1),
                cancel: { signal: ctx.signal, what: `export of ${srcArg} to ${dir}` },
                ...(xattrs === undefined ? {} : { xattrs }),
              }),
              TE.tapIO(() => () => bar.stop()),
              TE.orElseFirstIOK(() => () => bar.stop()),
              TE.orElse((e) => (e._tag === 'Cancelled' ? emptied(dir, e) : TE.left(e))),
            )
          }),
          TE.map(({ src, name, copied }) =>
            report(
              {
                source: src.kind === 'layer' ? src.ref : src.id,
                dataset: name,
                dir,
                entries: copied.entries,
                bytes: copied.bytes,
              },
              [`exported ${copied.entries} entries (${copied.bytes} bytes) from ${name} to ${dir}`],
            ),
          ),
        ),
      ),
    )
}
