/**
 * The differential's file commands: the file-tree commands (commands/fs.ts) with the
 * differential's modes, and its whole-tree comparison.
 */
import { fileCommands } from '../commands/fs.js'
import { nat } from '../fs-op-arb.js'
import { compareTrees } from './compare.js'
import { treesOf } from './sides.js'
import { datasets, pick } from './view.js'
import { OracleCmd } from '../commands/oracle.js'
import type { DriverWorld } from './driver-oracle.js'

const MODES = [0o600, 0o644, 0o755, 0o4755, 0o2755, 0o1777] as const

/** The whole tree of a dataset or snapshot compared, entry by entry. */
class TreeCheck extends OracleCmd {
  constructor(
    readonly target: number,
    readonly datasetsOnly: boolean,
  ) {
    super()
  }
  override async run(s: DriverWorld): Promise<void> {
    const rel = pick([...datasets(s.v), ...(this.datasetsOnly ? [] : s.v.snapshots)], this.target)!
    this.label = `$${rel}`
    const trees = await treesOf(s, rel)
    if (trees !== undefined) await compareTrees(s, rel, trees[0], trees[1])
  }
  override shape(): string {
    return `checkTree(#${this.target}${this.datasetsOnly ? ', datasets' : ''})`
  }
}

export const fsCommands = {
  ...fileCommands(MODES),
  tree: nat.map((t) => new TreeCheck(t, false)),
  datasetTree: nat.map((t) => new TreeCheck(t, true)),
}
