/**
 * `stratum start <container-id> <layer> [--refquota S] [--quota S] [--readonly] [-l k=v]...`: a
 * container root cloned from a layer (an image name, chainID, prefix or empty), its limits and
 * labels set by the clone.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StartOptions, StorageError } from '@stratum/core'
import { parseSize } from '../args.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'
import { collectLabel, labelsToSet } from './label.js'

interface StartFlags {
  readonly refquota?: string
  readonly quota?: string
  readonly readonly: boolean
  readonly label: readonly string[]
}

const startOptions = (o: StartFlags): E.Either<StorageError, StartOptions> =>
  pipe(
    E.Do,
    E.bind('refquota', () => (o.refquota === undefined ? E.right(undefined) : parseSize('--refquota', o.refquota))),
    E.bind('quota', () => (o.quota === undefined ? E.right(undefined) : parseSize('--quota', o.quota))),
    E.bind('labels', () => labelsToSet(o.label)),
    E.map(({ refquota, quota, labels }) => ({
      ...(refquota === undefined ? {} : { refquota }),
      ...(quota === undefined ? {} : { quota }),
      ...(o.readonly ? { readonly: true } : {}),
      ...(Object.keys(labels).length === 0 ? {} : { labels }),
    })),
  )

export const registerStart: Register = (program, run) => {
  program
    .command('start')
    .description("create a container's root file system as a clone of a layer")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .argument('<layer>', 'image name, chainID, chainID prefix (12+ hex digits), or empty')
    .option('--refquota <size>', 'bytes the root may refer to (a write past it fails with EDQUOT), e.g. 512M')
    .option('--quota <size>', 'bytes the root and its snapshots may use, e.g. 1G')
    .option('--readonly', 'every write to the root fails with EROFS', false)
    .option('-l, --label <key=value>', 'a label of the container (repeatable)', collectLabel, [])
    .addHelpText(
      'after',
      examplesHelp('stratum start web img:1.0', 'stratum start db sha256:<chainid> --refquota 512M'),
    )
    .action((id: string, layerArg: string, o: StartFlags) =>
      run((ctx) =>
        pipe(
          TE.fromEither(startOptions(o)),
          TE.bindTo('options'),
          TE.bind('session', () => ctx.session()),
          TE.bind('layer', ({ session }) => session.store.resolveLayer(layerArg)),
          TE.tap(({ layer, session, options }) => session.store.start(id, layer, options)),
          TE.map(({ layer }) => report({ container: id, layer }, [`started ${id} from ${layer}`])),
        ),
      ),
    )
}
