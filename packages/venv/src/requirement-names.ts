/**
 * The projects `pipette uninstall NAME... -r FILE...` is asked to remove, read
 * as pip reads them: each argument as a requirement line (`pip==23.0`,
 * `name @ https://...`, a wheel file name...), each file with pip's
 * requirements-file rules (@pipette/requirements); only names matter.
 */
import { canonicalizeName, parseRequirementLine, parseRequirementsFile } from '@pipette/requirements'
import { VenvError } from './errors.js'

/**
 * One request per project (the last spelling wins, the first position is
 * kept), from the arguments then the requirements files; arguments that name
 * no project are returned apart (pip warns and ignores them).
 */
export async function collectUninstallRequests(
  args: readonly string[],
  requirementFiles: readonly string[] = [],
  options: { readonly cwd?: string | undefined } = {},
): Promise<{ names: string[]; invalid: string[] }> {
  const requests = new Map<string, string>()
  const invalid: string[] = []
  for (const text of args) {
    let name: string | undefined
    try {
      name = parseRequirementLine(text, { cwd: options.cwd }).requirement?.name
    } catch (cause) {
      throw new VenvError('ERR_INVALID_REQUIREMENT', (cause as Error).message, {
        hint: 'Name the projects to uninstall, e.g. pipette uninstall requests',
        cause,
      })
    }
    if (name === undefined) invalid.push(text)
    else requests.set(canonicalizeName(name), name)
  }
  for (const file of requirementFiles) {
    for (const entry of await parseRequirementsFile(file, { cwd: options.cwd })) {
      if (entry.kind !== 'requirement' && entry.kind !== 'editable') continue
      const name = entry.requirement?.name
      if (name !== undefined) requests.set(canonicalizeName(name), name)
    }
  }
  return { names: [...requests.values()], invalid }
}
