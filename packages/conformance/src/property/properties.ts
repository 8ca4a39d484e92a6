/** The model-based properties: random command sequences, every step compared with the reference model. */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { newModel } from '../model/state.js'
import { checkCommands as check } from './check-commands.js'
import { checkProperty } from './config.js'
import { datasetCommands as ds } from './dataset-commands.js'
import { fsCommands as fs } from './fs-commands.js'
import { prelude as filePrelude } from '../commands/prelude.js'
import { FILE_MIX, weighted } from '../commands/weighted.js'
import { type ModelWorld, modelOracle } from './model-oracle.js'

const runWith =
  (
    ctx: SuiteContext,
    arbs: fc.Arbitrary<fc.AsyncCommand<ModelWorld, ModelWorld>>[],
    prelude?: (o: ModelWorld) => Promise<void>,
  ) =>
  async (): Promise<void> => {
    const cfg = ctx.budget.property
    const prop = fc.asyncProperty(
      fc.commands(arbs, {
        maxCommands: cfg.maxCommands,
        size: 'max',
        ...(cfg.replayPath === undefined ? {} : { replayPath: cfg.replayPath }),
      }),
      async (cmds) => {
        const f = await ctx.factory()
        try {
          const o = modelOracle(
            { m: newModel(f.base), caps: f.driver.capabilities },
            { driver: f.driver, base: f.base },
          )
          if (prelude !== undefined) await prelude(o)
          await fc.asyncModelRun(() => ({ model: o, real: o }), cmds)
        } finally {
          await f.cleanup()
        }
      },
    )
    await checkProperty(prop, cfg)
  }

export const modelProperties = (ctx: SuiteContext): void => {
  describe('model-based properties', () => {
    // For any sequence of create/snapshot/clone/promote/rename/destroy/property calls, each outcome (success or error tag) equals the model's, and list and get show the model's datasets, origins, clones and properties.
    it(
      'dataset lifecycle matches the reference model',
      runWith(ctx, [
        ...weighted((k: keyof typeof ds) => ds[k], {
          create: 3,
          snapshot: 3,
          clone: 2,
          promote: 2,
          rename: 2,
          renameSnapshot: 1,
          destroy: 2,
          property: 2,
        }),
        ...weighted((k: keyof typeof check) => check[k], { list: 2, property: 1, diff: 1 }),
        ...weighted(fs.op, { write: 1, mkdir: 1 }),
      ]),
    )

    // For any sequence of file operations interleaved with snapshots, clones, promotes, renames and destroys, each outcome (success or errno) equals the model's, every tree reads back as the model's, and zfs diff between any valid pair reports exactly the model's changed objects.
    it(
      'file trees and diff match the reference model',
      runWith(
        ctx,
        [
          ...weighted((k: keyof typeof ds) => ds[k], {
            create: 1,
            snapshot: 3,
            clone: 2,
            promote: 1,
            rename: 1,
            destroy: 1,
          }),
          ...weighted(fs.op, { ...FILE_MIX, mkdir: 2, link: 2 }),
          fs.readOnlyWrite,
          ...weighted((k: keyof typeof check) => check[k], { fs: 2, diff: 2 }),
        ],
        filePrelude,
      ),
    )
  })
}
