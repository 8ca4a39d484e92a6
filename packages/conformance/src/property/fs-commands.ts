/** The model run's file commands: the file-tree commands (commands/fs.ts) with the model run's modes. */
import fc from 'fast-check'
import { FsOpCmd, ReadOnlyWrite } from '../commands/fs.js'
import { fsOpArbs, nat } from '../fs-op-arb.js'
import type { FsOp } from '../fs-op.js'

const MODES = [0o600, 0o644, 0o755, 0o4755, 0o1777] as const
const opArbs = fsOpArbs(MODES)

export const fsCommands = {
  op: (op: FsOp['op']) => fc.tuple(nat, opArbs[op]).map(([d, o]) => new FsOpCmd(d, o)),
  readOnlyWrite: fc.tuple(nat, fc.constantFrom('a', 'b', 'new')).map(([s, n]) => new ReadOnlyWrite(s, n)),
}
