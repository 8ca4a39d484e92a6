/** The model run's file commands: the file-tree commands (commands/fs.ts) with the model run's modes. */
import { fileCommands } from '../commands/fs.js'

export const fsCommands = fileCommands([0o600, 0o644, 0o755, 0o4755, 0o1777])
