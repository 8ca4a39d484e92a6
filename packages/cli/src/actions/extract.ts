/** `stratum extract` (commands/extract.ts): the image from a layout or a docker archive, by the store's extractImage or extractArchive. */
import { stat } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { ExtractImageOptions, TaskControl } from '@stratum/core'
import { type ImageSourceArg, parseImageSourceArg } from '../args.js'
import type { Action } from '../command.js'
import { layerBars, stoppingBar } from '../progress.js'
import { report } from '../report.js'
import type { Session } from '../session.js'
import { labelsToSet } from './label.js'

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

export const extractAction =
  (image: string, o: { name?: string; platform?: string; label: string[] }): Action =>
  (ctx) => {
    const labels = labelsToSet(o.label)
    const bars = layerBars(ctx.progress, 'extract')
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
      stoppingBar(bars),
      TE.map(({ name, layers, top }) =>
        report({ name, layers, top }, [
          ...layers.map((l) => `${l.chainId} ${l.reused ? 'reused' : 'extracted'}`),
          `top ${top}`,
          `image ${name}`,
        ]),
      ),
    )
  }
