/** `stratum rmi` (commands/rmi.ts): each operand untagged as an image, else removed as a layer; then the prune asked for. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '@stratum/core'
import type { Action } from '../command.js'
import { report } from '../report.js'
import type { Session } from '../session.js'
import { pruneLines } from './prune.js'

interface Removed {
  readonly json: { readonly untagged: string } | { readonly removed: string }
  readonly line: string
}

const removeOne = (session: Session, arg: string): TE.TaskEither<StorageError, Removed> =>
  pipe(
    session.store.listImages(),
    TE.flatMap((images) => {
      const image = images.find((i) => i.name === arg) ?? images.find((i) => i.name === `${arg}:latest`)
      if (image !== undefined)
        return pipe(
          session.store.removeImage(image.name),
          TE.map((): Removed => ({ json: { untagged: image.name }, line: `untagged ${image.name}` })),
        )
      return pipe(
        session.store.resolveLayer(arg),
        TE.tap((chainId) => session.store.removeLayer(chainId)),
        TE.map((chainId): Removed => ({ json: { removed: chainId }, line: `removed ${chainId}` })),
      )
    }),
  )

export const rmiAction =
  (args: string[], o: { prune?: boolean }): Action =>
  (ctx) =>
    pipe(
      ctx.session(),
      TE.bindTo('session'),
      TE.bind('done', ({ session }) => TE.traverseSeqArray((arg: string) => removeOne(session, arg))(args)),
      TE.bind('pruned', ({ session }) => (o.prune === true ? session.store.prune() : TE.right(undefined))),
      TE.map(({ done, pruned }) =>
        report({ ...done[0]?.json, results: done.map((d) => d.json), ...(pruned === undefined ? {} : { pruned }) }, [
          ...done.map((d) => d.line),
          ...(pruned === undefined ? [] : pruneLines(pruned)),
        ]),
      ),
    )
