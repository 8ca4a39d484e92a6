/**
 * `stratum rmi <image|layer>... [--prune]`: drops each image reference (its name, or the name
 * with `:latest`); anything else is a layer reference (chainID or prefix), destroyed when no
 * container or layer is cloned from it. Operands go in the order given, stopping at the first
 * that fails (the ones before it stay removed). `--prune` then collects what became unreachable.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '@stratum/core'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
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

export const registerRmi: Register = (program, run) => {
  program
    .command('rmi')
    .description('remove image references, or layers nothing depends on')
    .argument('<image|layer...>', 'image names, or layers: chainID or chainID prefix (12+ hex digits)')
    .option('--prune', 'then remove the layers no image, container or layer above reaches')
    .addHelpText(
      'after',
      examplesHelp('stratum rmi img:1.0', 'stratum rmi img:1.0 img:1.1', 'stratum rmi img:1.0 --prune'),
    )
    .action((args: string[], o: { prune?: boolean }) =>
      run((ctx) =>
        pipe(
          ctx.session(),
          TE.bindTo('session'),
          TE.bind('done', ({ session }) => TE.traverseSeqArray((arg: string) => removeOne(session, arg))(args)),
          TE.bind('pruned', ({ session }) => (o.prune === true ? session.store.prune() : TE.right(undefined))),
          TE.map(({ done, pruned }) =>
            report(
              { ...done[0]?.json, results: done.map((d) => d.json), ...(pruned === undefined ? {} : { pruned }) },
              [...done.map((d) => d.line), ...(pruned === undefined ? [] : pruneLines(pruned))],
            ),
          ),
        ),
      ),
    )
}
