/**
 * A command list for fc.commands, which picks uniformly: each command `get(k)` as many times as
 * its weight, in the order the weights are written (the order fixes what a seed replays).
 */
export const weighted = <K extends string, C>(get: (k: K) => C, weights: Partial<Record<K, number>>): C[] =>
  (Object.entries(weights) as [K, number][]).flatMap(([k, n]) => Array.from({ length: n }, () => get(k)))

/** The usual mix of file operations; a run that wants more of some overrides them. */
export const FILE_MIX = {
  write: 3,
  mkdir: 1,
  symlink: 1,
  link: 1,
  unlink: 1,
  rmdir: 1,
  rename: 2,
  chmod: 1,
  chown: 1,
  utimes: 1,
} as const
