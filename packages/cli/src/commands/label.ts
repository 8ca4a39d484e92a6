/**
 * `stratum label <container|image> key=value... key-...`: sets (`k=v`) and drops (`k-`) labels,
 * like `kubectl label`. The target is the container of that id when there is one, else the
 * image of that name (`--image` asks for the image). Prints the labels after the change.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as E from 'fp-ts/lib/Either.js'
import { catchTag, err, type Labels, type StorageError } from '@stratum/core'
import { parseLabelArgs } from '@stratum/core/internal'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

/** The repeatable `--label k=v` option's collector. */
export const collectLabel = (v: string, acc: readonly string[] = []): string[] => [...acc, v]

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

export const registerLabel: Register = (program, run) => {
  program
    .command('label')
    .description('set (key=value) and drop (key-) labels of a container or an image')
    .argument('<target>', 'container id, else image name (:latest implied)')
    .argument('<changes...>', 'key=value to set, key- to drop')
    .option('--image', 'the target is an image even when a container has that id', false)
    .addHelpText(
      'after',
      examplesHelp('stratum label web tier=front owner-', 'stratum label --image alpine:3.20 pinned=yes'),
    )
    .action((target: string, changes: string[], o: { image: boolean }) =>
      run((ctx) =>
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
        ),
      ),
    )
}
