import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Unpacker } from '../../src/index.js'

/**
 * A stand-in wheel reader for the tests of the cache layer: Python's zipfile
 * extracts the wheel (the real one is @pipette/wheel's reader).
 */
export const pythonUnzip: Unpacker = async (wheelPath, dest) => {
  await promisify(execFile)('/usr/bin/python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', wheelPath, dest])
}

export const DEBIAN_WHEELS = '/usr/share/python-wheels'
