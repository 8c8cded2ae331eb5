import { lstat, mkdtemp, readdir, readFile, readlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import type { Scheme } from '../../src/index.js'

/** A scratch directory laid out as a virtual environment's scheme. */
export async function scratchScheme(name = 'pkg'): Promise<{ root: string; scheme: Scheme }> {
  const root = await mkdtemp(join(tmpdir(), 'pipette-wheel-'))
  const site = join(root, 'lib', 'python3.11', 'site-packages')
  return {
    root,
    scheme: {
      purelib: site,
      platlib: join(root, 'lib64', 'python3.11', 'site-packages'),
      scripts: join(root, 'bin'),
      data: root,
      headers: join(root, 'include', 'site', 'python3.11', name),
    },
  }
}

/** Every entry under a directory: path -> kind, mode and content (for before/after comparisons). */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (d: string): Promise<void> => {
    let names: string[]
    try {
      names = await readdir(d)
    } catch {
      return
    }
    for (const name of names.sort()) {
      const path = join(d, name)
      const info = await lstat(path)
      const rel = relative(dir, path)
      if (info.isSymbolicLink()) out[rel] = `link ${await readlink(path)}`
      else if (info.isDirectory()) {
        out[rel] = `dir ${(info.mode & 0o7777).toString(8)}`
        await walk(path)
      } else out[rel] = `file ${(info.mode & 0o7777).toString(8)} ${(await readFile(path)).toString('base64')}`
    }
  }
  await walk(dir)
  return out
}
