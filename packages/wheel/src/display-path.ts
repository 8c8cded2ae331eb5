import { resolve, sep } from 'node:path'

/** pip's `display_path`: relative to the working directory (`./x`) when inside it. */
export function displayPath(path: string, cwd: string): string {
  const absolute = resolve(cwd, path)
  const base = resolve(cwd)
  return absolute.startsWith(base + sep) ? `.${sep}${absolute.slice(base.length + 1)}` : absolute
}
