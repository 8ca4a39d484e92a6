export {
  applyLayer,
  DEFAULT_APPLY_LIMITS,
  MAX_NAME_COMPONENT_BYTES,
  type ApplyLimits,
  type ApplyResult,
} from './apply.js'
export { packageLayer } from './package.js'
export {
  normalizeEntryName,
  classifyEntry,
  compareBytes,
  OPAQUE_MARKER,
  WHITEOUT_PREFIX,
  type EntryKind,
} from './names.js'
export { encodeHeader, paxRecord, paxTime, END_OF_ARCHIVE, type TarEntry, type TarType } from './tar-header.js'
export { makedev, devMajor, devMinor } from './devices.js'
