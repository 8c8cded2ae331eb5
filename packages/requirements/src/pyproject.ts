/**
 * pyproject.toml: the `[build-system]` table (PEP 518/517, with pip's
 * defaults when it is absent), the `[project]` table (PEP 621) and
 * `[dependency-groups]` (PEP 735).
 *
 * The TOML is read with smol-toml; the shape of each table is checked with
 * valibot schemas, then the values that have their own grammar (requirements,
 * versions, specifiers, names) are parsed. Every error says which key is
 * wrong and why, e.g. `pyproject.toml: project.dependencies[1]: invalid
 * requirement ...`. Unknown keys are kept out of the typed result but are not
 * errors (tools own `[tool]`, and PEP 621 leaves room for new keys).
 *
 * smol-toml and valibot are imported on first use (`await import()`), so
 * programs that never read a pyproject.toml do not pay for loading them.
 *
 * Dependency groups are resolved on request (`resolveDependencyGroup`), as pip
 * does for `--group`: names are normalized, `{include-group = "..."}` entries
 * are expanded depth-first and a cycle is reported with its path.
 */
import type * as Valibot from 'valibot'
import { PipetteError } from '@pipette/errors'
import { parseSpecifierSet, parseVersion } from '@pipette/pep440'
import type { SpecifierSet } from '@pipette/pep440'
import { canonicalizeName, isValidName } from './names.js'
import { parseRequirement } from './requirement.js'
import type { Requirement } from './requirement.js'

/** A problem in a pyproject.toml (or a PEP 723 block); `key` is the dotted path of the offending value. */
export class PyprojectError extends PipetteError {
  readonly file: string
  readonly key: string | null

  constructor(fields: { file: string; key: string | null; message: string; hint: string; cause?: unknown }) {
    super('ERR_PYPROJECT', `${fields.file}: ${fields.key === null ? '' : `${fields.key}: `}${fields.message}`, {
      hint: fields.hint,
      cause: fields.cause,
    })
    this.file = fields.file
    this.key = fields.key
  }
}

export interface BuildSystem {
  /** `build-system.requires` (pip's default `setuptools>=40.8.0` when the table is absent). */
  readonly requires: readonly Requirement[]
  /** `build-system.build-backend`, or pip's `setuptools.build_meta:__legacy__`. */
  readonly buildBackend: string
  readonly backendPath: readonly string[]
  /** Requirements pip checks after installing `requires` when no backend is named (`setuptools>=40.8.0`). */
  readonly check: readonly Requirement[]
  /** Whether the file has a `[build-system]` table at all. */
  readonly declared: boolean
}

export interface ProjectMetadata {
  readonly name: string
  /** `project.version` as written, or null when dynamic. */
  readonly version: string | null
  readonly dynamic: readonly string[]
  readonly requiresPython: SpecifierSet | null
  readonly dependencies: readonly Requirement[]
  /** Extra name (as written) to its requirements. */
  readonly optionalDependencies: Readonly<Record<string, readonly Requirement[]>>
  readonly scripts: Readonly<Record<string, string>>
  readonly guiScripts: Readonly<Record<string, string>>
  /** Group to name to object reference. */
  readonly entryPoints: Readonly<Record<string, Readonly<Record<string, string>>>>
}

/** One entry of a dependency group as written. */
export type DependencyGroupItem = { readonly requirement: Requirement } | { readonly includeGroup: string }

export interface Pyproject {
  readonly file: string
  readonly buildSystem: BuildSystem
  readonly project: ProjectMetadata | null
  /** `[dependency-groups]` by normalized group name, or null when absent. */
  readonly dependencyGroups: Readonly<Record<string, readonly DependencyGroupItem[]>> | null
  /** The whole document, for tables this module does not model (`[tool]`). */
  readonly document: Readonly<Record<string, unknown>>
}

const DEFAULT_REQUIRES = 'setuptools>=40.8.0'
const LEGACY_BACKEND = 'setuptools.build_meta:__legacy__'

type V = typeof Valibot

/** The valibot schemas, built once valibot is loaded. */
function makeSchemas(v: V) {
  const stringList = v.array(v.string('must be a string'), 'must be an array of strings')
  const stringTable = v.record(v.string(), v.string('must be a string'), 'must be a table of strings')

  const BuildSystemSchema = v.looseObject(
    {
      requires: v.optional(stringList),
      'build-backend': v.optional(v.string('must be a string')),
      'backend-path': v.optional(stringList),
    },
    'must be a table',
  )

  const ProjectSchema = v.looseObject(
    {
      name: v.optional(v.string('must be a string')),
      version: v.optional(v.string('must be a string')),
      dynamic: v.optional(stringList),
      'requires-python': v.optional(v.string('must be a string')),
      dependencies: v.optional(stringList),
      'optional-dependencies': v.optional(v.record(v.string(), stringList, 'must be a table of arrays of strings')),
      scripts: v.optional(stringTable),
      'gui-scripts': v.optional(stringTable),
      'entry-points': v.optional(v.record(v.string(), stringTable, 'must be a table of tables of strings')),
    },
    'must be a table',
  )

  const IncludeGroupSchema = v.strictObject({ 'include-group': v.string('must be a string') }, 'must be a requirement string or {include-group = "name"}')
  const DependencyGroupsSchema = v.record(
    v.string(),
    v.array(v.union([v.string(), IncludeGroupSchema], 'must be a requirement string or {include-group = "name"}'), 'must be an array'),
    'must be a table',
  )
  return { BuildSystemSchema, ProjectSchema, DependencyGroupsSchema }
}

export interface TomlTools {
  readonly v: V
  readonly parseToml: (text: string) => Record<string, unknown>
  readonly TomlError: new (...args: never[]) => Error & { line: number; column: number }
  readonly schemas: ReturnType<typeof makeSchemas>
}

let tools: Promise<TomlTools> | undefined

/** @internal smol-toml and valibot, loaded on first use. */
export function loadTomlTools(): Promise<TomlTools> {
  tools ??= (async () => {
    const [v, toml] = await Promise.all([import('valibot'), import('smol-toml')])
    return {
      v,
      parseToml: (text: string) => toml.parse(text) as Record<string, unknown>,
      TomlError: toml.TomlError as unknown as TomlTools['TomlError'],
      schemas: makeSchemas(v),
    }
  })()
  return tools
}

function check<T>(t: TomlTools, schema: Valibot.GenericSchema<unknown, T>, value: unknown, file: string, prefix: string, hint: string): T {
  const { v } = t
  const result = v.safeParse(schema, value)
  if (result.success) return result.output
  const issue = result.issues[0]
  const path = v.getDotPath(issue)
  const key = path === null ? prefix : `${prefix}.${path}`
  throw new PyprojectError({ file, key: formatKey(key), message: issue.message, hint })
}

/** `project.dependencies.1` -> `project.dependencies[1]`. */
function formatKey(key: string): string {
  return key.replace(/\.(\d+)(?=\.|$)/g, '[$1]')
}

function parseRequirements(list: readonly string[], file: string, key: string, hint: string): Requirement[] {
  return list.map((text, index) => {
    try {
      return parseRequirement(text)
    } catch (error) {
      throw new PyprojectError({ file, key: `${key}[${index}]`, message: (error as Error).message, hint, cause: error })
    }
  })
}

function buildSystem(t: TomlTools, value: unknown, file: string): BuildSystem {
  const hint = 'For example:\n[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"'
  if (value === undefined) {
    const defaults = [parseRequirement(DEFAULT_REQUIRES)]
    return Object.freeze({ requires: defaults, buildBackend: LEGACY_BACKEND, backendPath: [], check: [], declared: false })
  }
  const table = check(t, t.schemas.BuildSystemSchema, value, file, 'build-system', hint)
  if (table.requires === undefined) {
    throw new PyprojectError({ file, key: 'build-system', message: 'the [build-system] table is missing the mandatory `requires` key', hint })
  }
  const requires = Object.freeze(parseRequirements(table.requires, file, 'build-system.requires', hint))
  const backend = table['build-backend']
  return Object.freeze({
    requires,
    buildBackend: backend ?? LEGACY_BACKEND,
    backendPath: Object.freeze([...(table['backend-path'] ?? [])]),
    check: Object.freeze(backend === undefined ? [parseRequirement(DEFAULT_REQUIRES)] : []),
    declared: true,
  })
}

const PROJECT_HINT = 'For example:\n[project]\nname = "spam"\nversion = "1.0"\ndependencies = ["requests>=2"]'
const DYNAMIC_ALLOWED = new Set([
  'version',
  'description',
  'readme',
  'requires-python',
  'license',
  'license-files',
  'authors',
  'maintainers',
  'keywords',
  'classifiers',
  'urls',
  'scripts',
  'gui-scripts',
  'entry-points',
  'dependencies',
  'optional-dependencies',
  'import-names',
  'import-namespaces',
])

function project(t: TomlTools, value: unknown, file: string): ProjectMetadata {
  const table = check(t, t.schemas.ProjectSchema, value, file, 'project', PROJECT_HINT)
  const fail = (key: string, message: string, cause?: unknown): never => {
    throw new PyprojectError({ file, key, message, hint: PROJECT_HINT, cause })
  }
  const dynamic = table.dynamic ?? []
  if (table.name === undefined) fail('project.name', 'is required (and cannot be dynamic)')
  const name = table.name!
  if (!isValidName(name)) fail('project.name', `'${name}' is not a valid project name (letters, digits, and - _ . inside)`)
  for (const [index, field] of dynamic.entries()) {
    if (field === 'name') fail(`project.dynamic[${index}]`, "'name' cannot be dynamic")
    if (!DYNAMIC_ALLOWED.has(field)) fail(`project.dynamic[${index}]`, `'${field}' is not a [project] key that can be dynamic`)
    if (Object.hasOwn(table, field)) fail(`project.${field}`, `is given a value but also listed in project.dynamic`)
  }
  let version: string | null = null
  if (table.version !== undefined) {
    try {
      parseVersion(table.version)
    } catch (error) {
      fail('project.version', `'${table.version}' is not a valid PEP 440 version`, error)
    }
    version = table.version
  } else if (!dynamic.includes('version')) {
    fail('project.version', 'is required unless listed in project.dynamic')
  }
  let requiresPython: SpecifierSet | null = null
  if (table['requires-python'] !== undefined) {
    try {
      requiresPython = parseSpecifierSet(table['requires-python'])
    } catch (error) {
      fail('project.requires-python', `'${table['requires-python']}' is not a valid version specifier`, error)
    }
  }
  const dependencies = Object.freeze(parseRequirements(table.dependencies ?? [], file, 'project.dependencies', PROJECT_HINT))
  const optional: Record<string, readonly Requirement[]> = {}
  const seenExtras = new Map<string, string>()
  for (const [extra, list] of Object.entries(table['optional-dependencies'] ?? {})) {
    if (!isValidName(extra)) fail(`project.optional-dependencies.${extra}`, `'${extra}' is not a valid extra name`)
    const normalized = canonicalizeName(extra)
    const previous = seenExtras.get(normalized)
    if (previous !== undefined) fail(`project.optional-dependencies.${extra}`, `duplicates the extra '${previous}' (PEP 685 normalizes both to '${normalized}')`)
    seenExtras.set(normalized, extra)
    optional[extra] = Object.freeze(parseRequirements(list, file, `project.optional-dependencies.${extra}`, PROJECT_HINT))
  }
  const entryPoints: Record<string, Readonly<Record<string, string>>> = {}
  for (const [group, entries] of Object.entries(table['entry-points'] ?? {})) {
    if (group === 'console_scripts' || group === 'gui_scripts') {
      fail(`project.entry-points.${group}`, `use [project.${group === 'console_scripts' ? 'scripts' : 'gui-scripts'}] instead of this group`)
    }
    entryPoints[group] = Object.freeze({ ...entries })
  }
  return Object.freeze({
    name,
    version,
    dynamic: Object.freeze([...dynamic]),
    requiresPython,
    dependencies,
    optionalDependencies: Object.freeze(optional),
    scripts: Object.freeze({ ...(table.scripts ?? {}) }),
    guiScripts: Object.freeze({ ...(table['gui-scripts'] ?? {}) }),
    entryPoints: Object.freeze(entryPoints),
  })
}

const GROUPS_HINT = 'For example:\n[dependency-groups]\ntest = ["pytest>=8"]\ndev = [{include-group = "test"}, "ruff"]'

function dependencyGroups(t: TomlTools, value: unknown, file: string): Record<string, readonly DependencyGroupItem[]> {
  const table = check(t, t.schemas.DependencyGroupsSchema, value, file, 'dependency-groups', GROUPS_HINT)
  const groups: Record<string, readonly DependencyGroupItem[]> = {}
  const original = new Map<string, string>()
  for (const [name, items] of Object.entries(table)) {
    if (!isValidName(name)) {
      throw new PyprojectError({ file, key: `dependency-groups.${name}`, message: `'${name}' is not a valid group name`, hint: GROUPS_HINT })
    }
    const normalized = canonicalizeName(name)
    const previous = original.get(normalized)
    if (previous !== undefined) {
      throw new PyprojectError({
        file,
        key: `dependency-groups.${name}`,
        message: `duplicates the group '${previous}' (both normalize to '${normalized}')`,
        hint: GROUPS_HINT,
      })
    }
    original.set(normalized, name)
    groups[normalized] = Object.freeze(
      items.map((item, index): DependencyGroupItem => {
        if (typeof item === 'string') {
          try {
            return Object.freeze({ requirement: parseRequirement(item) })
          } catch (error) {
            throw new PyprojectError({ file, key: `dependency-groups.${name}[${index}]`, message: (error as Error).message, hint: GROUPS_HINT, cause: error })
          }
        }
        return Object.freeze({ includeGroup: item['include-group'] })
      }),
    )
  }
  return groups
}

/**
 * Parses a pyproject.toml document. Throws {@link PyprojectError} naming the key.
 *
 * @example
 * const pyproject = await parsePyproject(await readFile('pyproject.toml', 'utf8'))
 * pyproject.buildSystem.buildBackend // 'hatchling.build'
 * pyproject.project?.dependencies.map(String) // ['requests>=2']
 */
export async function parsePyproject(text: string, options: { readonly file?: string | undefined } = {}): Promise<Pyproject> {
  const t = await loadTomlTools()
  const file = options.file ?? 'pyproject.toml'
  let document: Record<string, unknown>
  try {
    document = t.parseToml(text)
  } catch (error) {
    if (!(error instanceof t.TomlError)) throw error
    throw new PyprojectError({
      file,
      key: null,
      message: `invalid TOML at line ${error.line}, column ${error.column}: ${error.message.split('\n')[0]}`,
      hint: 'Check the TOML syntax, e.g. strings need quotes: name = "spam".',
      cause: error,
    })
  }
  return Object.freeze({
    file,
    buildSystem: buildSystem(t, document['build-system'], file),
    project: document['project'] === undefined ? null : project(t, document['project'], file),
    dependencyGroups: document['dependency-groups'] === undefined ? null : Object.freeze(dependencyGroups(t, document['dependency-groups'], file)),
    document: Object.freeze(document),
  })
}

/**
 * The requirements of a dependency group, with `include-group` entries
 * expanded (depth first, in order). Throws {@link PyprojectError} for an
 * unknown group or an include cycle (with its path).
 *
 * @example resolveDependencyGroup(pyproject, 'dev').map(String) // ['pytest>=8', 'ruff']
 */
export function resolveDependencyGroup(pyproject: Pyproject, group: string): readonly Requirement[] {
  const groups = pyproject.dependencyGroups ?? {}
  const out: Requirement[] = []
  const visit = (name: string, path: readonly string[]): void => {
    const normalized = canonicalizeName(name)
    if (path.includes(normalized)) {
      throw new PyprojectError({
        file: pyproject.file,
        key: `dependency-groups.${path[0]}`,
        message: `include-group cycle: ${[...path, normalized].join(' -> ')}`,
        hint: 'Remove one of the include-group entries that form the cycle.',
      })
    }
    const items = groups[normalized]
    if (items === undefined) {
      const known = Object.keys(groups)
      throw new PyprojectError({
        file: pyproject.file,
        key: path.length === 0 ? null : `dependency-groups.${path.at(-1)}`,
        message: `dependency group '${name}' is not defined${known.length > 0 ? ` (groups: ${known.join(', ')})` : ''}`,
        hint: GROUPS_HINT,
      })
    }
    for (const item of items) {
      if ('requirement' in item) out.push(item.requirement)
      else visit(item.includeGroup, [...path, normalized])
    }
  }
  visit(group, [])
  return Object.freeze(out)
}
