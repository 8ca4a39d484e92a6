/**
 * The `label` operation: set and drop labels of a container (its `stratum:labels` property: one
 * read, one `zfs set`, or `zfs inherit` when none are left) or of an image (its record rewritten:
 * one listing, one `zfs set`). The last writer wins: two concurrent relabels of one thing may
 * lose one's change, never corrupt the record.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import type { ContainerId } from '../names.js'
import type { StoreContext } from './context.js'
import { listImages, recordImage } from './images.js'
import { changeLabels, type LabelChange, type Labels, readLabels } from './labels.js'
import { withLatest } from './layer-reference.js'
import { PROP } from './layout.js'
import { must, steps } from './steps.js'

export const labelContainer = (
  ctx: StoreContext,
  id: ContainerId,
  change: LabelChange,
): TE.TaskEither<StorageError, Labels> =>
  steps(async () => {
    const d = ctx.driver
    const c = await must(TE.fromEither(ctx.layout.container(id)))
    const now = await must(d.getProperty(c, PROP.labels))
    const next = await must(TE.fromEither(changeLabels(readLabels(now?.value) ?? {}, change, `labels of ${c}`)))
    await must(
      Object.keys(next).length === 0
        ? d.inheritProperty(c, PROP.labels)
        : d.setProperty(c, PROP.labels, JSON.stringify(next)),
    )
    return next
  })

export const labelImage = (ctx: StoreContext, name: string, change: LabelChange): TE.TaskEither<StorageError, Labels> =>
  steps(async () => {
    const images = await must(listImages(ctx))
    const latest = withLatest(name)
    const image = images.find((i) => i.name === name) ?? images.find((i) => i.name === latest)
    if (image === undefined) return must(TE.left(err('ReferenceNotFound', { name, reason: 'no image of that name' })))
    const next = await must(TE.fromEither(changeLabels(image.labels ?? {}, change, `labels of image '${image.name}'`)))
    const { labels: _, ...rest } = image
    await must(recordImage(ctx, Object.keys(next).length === 0 ? rest : { ...rest, labels: next }))
    return next
  })
