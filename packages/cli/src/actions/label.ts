/** `stratum label` (commands/label.ts): the container's labels changed, else the image's; and `-l` of start and extract. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag, err, type Labels, type StorageError } from '@stratum/core'
import { parseLabelArgs } from '@stratum/core/internal'
import type { Action } from '../command.js'
import { report } from '../report.js'

/** `-l k=v` arguments of start and extract: the labels to set (a `k-` drop is InvalidName naming it). */
export const labelsToSet = (args: readonly string[]): E.Either<StorageError, Labels> =>
  pipe(
    parseLabelArgs(args),
    E.flatMap(({ set, drop }) =>
      drop === undefined || drop.length === 0
        ? E.right(set ?? {})
        : E.left(
            err('InvalidName', {
              name: `${drop[0]}-`,
              reason: "-l takes 'key=value' (drop labels with the label command)",
            }),
          ),
    ),
  )

export const labelAction =
  (target: string, changes: string[], o: { image: boolean }): Action =>
  (ctx) =>
    pipe(
      TE.fromEither(parseLabelArgs(changes)),
      TE.bindTo('change'),
      TE.bind('session', () => ctx.session()),
      TE.flatMap(({ change, session }) => {
        const image = pipe(
          session.store.labelImage(target, change),
          TE.map((labels) => ({ kind: 'image' as const, labels })),
        )
        if (o.image) return image
        return pipe(
          session.store.labelContainer(target, change),
          TE.map((labels) => ({ kind: 'container' as const, labels })),
          // no such container (or not a container id): the image of that name
          catchTag('DatasetNotFound', () => image),
          catchTag('InvalidName', () => image),
        )
      }),
      TE.map(({ kind, labels }) =>
        report({ [kind]: target, labels }, [
          ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
          `${kind} ${target}: ${Object.keys(labels).length} labels`,
        ]),
      ),
    )
