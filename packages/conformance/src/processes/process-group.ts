/**
 * Whether any process of a process group still runs. A child store process runs in a group of
 * its own, and the commands it starts (zfs) join that group: after a kill, the checks wait
 * until the group is empty, so no orphaned command finishes its change after they look (or,
 * with STRATUM_KILL_COMMANDS=1, the whole group is killed at once). On Linux, /proc tells the
 * members that are not zombies (an orphan's zombie may linger where init does not reap);
 * elsewhere kill(-pgid, 0) answers.
 */
import { readdirSync, readFileSync } from 'node:fs'

const membersFromProc = (pgid: number): number | undefined => {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n))
  } catch {
    return undefined
  }
  let live = 0
  for (const pid of pids) {
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      continue
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live++
  }
  return live
}

export const groupAlive = (pgid: number): boolean => {
  const n = membersFromProc(pgid)
  if (n !== undefined) return n > 0
  try {
    process.kill(-pgid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
