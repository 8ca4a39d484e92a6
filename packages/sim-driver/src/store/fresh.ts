/**
 * A whole state file written at once, for a new state file, a converted old one, or
 * `saveState`: written to `<file>.tmp-<pid>-<hex>`, fsynced, renamed over `<file>`, and the
 * directory fsynced, so a crash leaves the old file or the new one (and maybe a temp file
 * of a dead process, which the next open removes: tmpfiles.ts).
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { State } from '../state.js'
import { Batch } from './codec.js'
import { StoreFile } from './file.js'
import { BOOT, HEADER_SIZE, header } from './format.js'
import { writeNamespace } from './namespace.js'

export const writeFreshStore = (file: string, st: State): void => {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`
  const fd = openSync(tmp, 'wx+', 0o600)
  try {
    const store = new StoreFile(tmp, fd)
    const b = new Batch(store, HEADER_SIZE)
    const { off } = writeNamespace(b, st)
    store.append(HEADER_SIZE, b.bufs)
    const h = header({ seq: 1, off, end: b.end, syncedOff: off, syncedEnd: b.end, boot: BOOT })
    writeSync(fd, h, 0, h.length, 0)
    fsyncSync(fd)
    closeSync(fd)
    renameSync(tmp, file)
  } catch (e) {
    try {
      closeSync(fd)
    } catch {
      /* closed already */
    }
    try {
      unlinkSync(tmp)
    } catch {
      /* gone already */
    }
    throw e
  }
  const dfd = openSync(dirname(file), 'r')
  try {
    fsyncSync(dfd)
  } finally {
    closeSync(dfd)
  }
}
