/**
 * `stratum extract <oci-layout-dir>[:<tag>] [--platform os/arch[/variant]]` (or
 * `docker-archive:<file>[:<repo tag>]`, or a `docker save` file named bare): every layer of the
 * image (from a multi-platform index, the platform asked, else this host's), bottom first, each
 * reused when its chainID is already extracted (the store's extractImage). Prints each layer's
 * chainID and whether it was reused, then the top chainID and the name the image is recorded
 * under (`--name`, else the store's default); one bar per layer shows its blob's bytes. Ctrl-C
 * cancels: the layer being extracted is rolled back, the image is not recorded.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { stat } from 'node:fs/promises'
import type { ExtractImageOptions, TaskControl } from '@stratum/core'
import { type ImageSourceArg, parseImageSourceArg } from '../args.js'
import type { Session } from '../session.js'
import type { Register } from '../command.js'
import { collectLabel, labelsToSet } from './label.js'
import { examplesHelp } from '../help.js'
import { layerBars } from '../progress.js'
import { report } from '../report.js'

const isFile = (p: string): Promise<boolean> =>
  stat(p).then(
    (st) => st.isFile(),
    () => false,
  )

/** A bare argument naming a regular file (whole, or before its `:<tag>`) is a docker archive. */
const detect = async (raw: string, a: ImageSourceArg): Promise<ImageSourceArg> => {
  if (a.kind !== 'layout' || raw.startsWith('oci:')) return a
  if (await isFile(raw)) return { kind: 'docker-archive', path: raw, ref: undefined }
  return (await isFile(a.dir)) ? { kind: 'docker-archive', path: a.dir, ref: a.ref } : a
}

const extractFrom = (session: Session, a: ImageSourceArg, control: TaskControl, options: ExtractImageOptions) =>
  a.kind === 'layout'
    ? session.store.extractImage(a.dir, a.ref, control, options)
    : session.store.extractArchive(a.path, a.ref, control, options)

export const registerExtract: Register = (program, run) => {
  program
    .command('extract')
    .description(
      'extract an image from an OCI image layout directory (tag defaults to latest, else the only image) or a docker save archive',
    )
    .argument(
      '<image>',
      '<oci-layout-dir>[:<tag>] (no tag: latest, else the only image) or docker-archive:<file>[:<repo tag>]',
    )
    .option('--name <name>', 'record the image under this name (default: the layout ref name, or <dir>:<tag>)')
    .option('--platform <os/arch[/variant]>', "the image to take from a multi-platform index (default: this host's)")
    .option(
      '-l, --label <key=value>',
      'a label recorded with the image, over its config Labels (repeatable)',
      collectLabel,
      [],
    )
    .addHelpText(
      'after',
      examplesHelp(
        'stratum extract ./image:1.0',
        'stratum extract ./multi:1.0 --platform linux/arm64',
        'stratum extract docker-archive:web.tar:web:1',
      ),
    )
    .action((image: string, o: { name?: string; platform?: string; label: string[] }) =>
      run((ctx) => {
        const labels = labelsToSet(o.label)
        const bars = layerBars(ctx.progress, 'extract')
        const stop = () => () => bars.stop()
        return pipe(
          TE.fromEither(labels),
          TE.flatMap(() => TE.fromEither(parseImageSourceArg(image))),
          TE.flatMap((a) => TE.fromTask(() => detect(image, a))),
          TE.bindTo('arg'),
          TE.bind('session', () => ctx.session()),
          TE.flatMap(({ arg, session }) =>
            extractFrom(
              session,
              arg,
              { onProgress: bars.onProgress, signal: ctx.signal },
              {
                ...(o.name === undefined ? {} : { name: o.name }),
                ...(o.platform === undefined ? {} : { platform: o.platform }),
                ...(E.isRight(labels) && Object.keys(labels.right).length > 0 ? { labels: labels.right } : {}),
              },
            ),
          ),
          TE.tapIO(stop),
          TE.orElseFirstIOK(stop),
          TE.map(({ name, layers, top }) =>
            report({ name, layers, top }, [
              ...layers.map((l) => `${l.chainId} ${l.reused ? 'reused' : 'extracted'}`),
              `top ${top}`,
              `image ${name}`,
            ]),
          ),
        )
      }),
    )
}
