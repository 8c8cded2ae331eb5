import { describe, expect, it } from 'vitest'
import { parsePyproject, PyprojectError, resolveDependencyGroup } from '../src/index.js'

async function rejection(promise: Promise<unknown>): Promise<PyprojectError> {
  const e = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(e).toBeInstanceOf(PyprojectError)
  return e as PyprojectError
}

function error(run: () => unknown): PyprojectError {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(PyprojectError)
    return e as PyprojectError
  }
  throw new Error('expected a PyprojectError')
}

describe('[build-system]', () => {
  it("uses pip's defaults when the table is absent", async () => {
    const { buildSystem } = await parsePyproject('[project]\nname = "a"\nversion = "1"\n')
    expect(buildSystem.requires.map(String)).toEqual(['setuptools>=40.8.0'])
    expect(buildSystem.buildBackend).toBe('setuptools.build_meta:__legacy__')
    expect(buildSystem.declared).toBe(false)
  })
  it('reads requires, build-backend and backend-path', async () => {
    const { buildSystem } = await parsePyproject('[build-system]\nrequires = ["hatchling>=1.20", "hatch-vcs"]\nbuild-backend = "hatchling.build"\nbackend-path = ["."]\n')
    expect(buildSystem.requires.map(String)).toEqual(['hatchling>=1.20', 'hatch-vcs'])
    expect(buildSystem.buildBackend).toBe('hatchling.build')
    expect(buildSystem.backendPath).toEqual(['.'])
    expect(buildSystem.check).toEqual([])
  })
  it('falls back to the legacy setuptools backend and checks setuptools when no backend is named', async () => {
    const { buildSystem } = await parsePyproject('[build-system]\nrequires = ["setuptools", "wheel"]\n')
    expect(buildSystem.buildBackend).toBe('setuptools.build_meta:__legacy__')
    expect(buildSystem.check.map(String)).toEqual(['setuptools>=40.8.0'])
  })
  it.each([
    ['[build-system]\nbuild-backend = "x"\n', 'build-system', /missing the mandatory `requires` key/],
    ['[build-system]\nrequires = "setuptools"\n', 'build-system.requires', /must be an array of strings/],
    ['[build-system]\nrequires = ["ok", 3]\n', 'build-system.requires[1]', /must be a string/],
    ['[build-system]\nrequires = ["setuptools >= "]\n', 'build-system.requires[0]', /Invalid requirement/],
    ['build-system = 3\n', 'build-system', /must be a table/],
  ])('%j is an error at %s', async (text, key, message) => {
    const e = await rejection(parsePyproject(text))
    expect(e.key).toBe(key)
    expect(e.message).toMatch(message)
    expect(e.message.startsWith(`pyproject.toml: ${key}: `)).toBe(true)
    expect(e.code).toBe('ERR_PYPROJECT')
    expect(e.hint).toMatch(/\[build-system\]/)
  })
})

describe('[project] (PEP 621)', () => {
  const full = `
[project]
name = "spam-eggs"
version = "2.0.1"
requires-python = ">=3.8"
dependencies = ["httpx", "gidgethub[httpx]>4.0.0", "django>2.1; os_name != 'nt'"]
description = "not modelled, kept in the document"

[project.optional-dependencies]
gui = ["PyQt5"]
cli = ["rich", "click"]

[project.scripts]
spam-cli = "spam:main_cli"

[project.gui-scripts]
spam-gui = "spam:main_gui"

[project.entry-points."spam.magical"]
tomatoes = "spam:main_tomatoes"
`
  it('reads every modelled key', async () => {
    const { project, document } = await parsePyproject(full)
    expect(project).not.toBeNull()
    expect(project!.name).toBe('spam-eggs')
    expect(project!.version).toBe('2.0.1')
    expect(String(project!.requiresPython)).toBe('>=3.8')
    expect(project!.dependencies.map(String)).toEqual(['httpx', 'gidgethub[httpx]>4.0.0', 'django>2.1; os_name != "nt"'])
    expect(Object.fromEntries(Object.entries(project!.optionalDependencies).map(([k, v]) => [k, v.map(String)]))).toEqual({
      gui: ['PyQt5'],
      cli: ['rich', 'click'],
    })
    expect(project!.scripts).toEqual({ 'spam-cli': 'spam:main_cli' })
    expect(project!.guiScripts).toEqual({ 'spam-gui': 'spam:main_gui' })
    expect(project!.entryPoints).toEqual({ 'spam.magical': { tomatoes: 'spam:main_tomatoes' } })
    expect((document['project'] as Record<string, unknown>)['description']).toBe('not modelled, kept in the document')
  })
  it('accepts a dynamic version', async () => {
    const { project } = await parsePyproject('[project]\nname = "a"\ndynamic = ["version", "dependencies"]\n')
    expect(project!.version).toBeNull()
    expect(project!.dynamic).toEqual(['version', 'dependencies'])
  })
  it.each([
    ['[project]\nversion = "1"\n', 'project.name', /is required/],
    ['[project]\nname = "-bad-"\nversion = "1"\n', 'project.name', /not a valid project name/],
    ['[project]\nname = "a"\n', 'project.version', /required unless listed in project.dynamic/],
    ['[project]\nname = "a"\nversion = "one"\n', 'project.version', /not a valid PEP 440 version/],
    ['[project]\nname = "a"\nversion = "1"\ndynamic = ["version"]\n', 'project.version', /also listed in project.dynamic/],
    ['[project]\nname = "a"\ndynamic = ["name"]\n', 'project.dynamic[0]', /'name' cannot be dynamic/],
    ['[project]\nname = "a"\nversion = "1"\ndynamic = ["colour"]\n', 'project.dynamic[0]', /not a \[project\] key/],
    ['[project]\nname = "a"\nversion = "1"\nrequires-python = ">=3.8,"\ndependencies = []\n[x]\n', null, null],
    ['[project]\nname = "a"\nversion = "1"\nrequires-python = "3.8+"\n', 'project.requires-python', /not a valid version specifier/],
    ['[project]\nname = "a"\nversion = "1"\ndependencies = ["ok", "not ok["]\n', 'project.dependencies[1]', /Invalid requirement/],
    ['[project]\nname = "a"\nversion = "1"\ndependencies = "requests"\n', 'project.dependencies', /must be an array of strings/],
    ['[project]\nname = "a"\nversion = "1"\n[project.optional-dependencies]\ntest = ["pytest", 1]\n', 'project.optional-dependencies.test[1]', /must be a string/],
    ['[project]\nname = "a"\nversion = "1"\n[project.optional-dependencies]\nDev_Tools = []\n"dev.tools" = []\n', 'project.optional-dependencies.dev.tools', /duplicates the extra 'Dev_Tools'/],
    ['[project]\nname = "a"\nversion = "1"\n[project.scripts]\nx = 1\n', 'project.scripts.x', /must be a string/],
    ['[project]\nname = "a"\nversion = "1"\n[project.entry-points.console_scripts]\nx = "a:b"\n', 'project.entry-points.console_scripts', /use \[project.scripts\]/],
    ['[project]\nname = 1\n', 'project.name', /must be a string/],
  ])('%j', async (text, key, message) => {
    if (key === null) {
      await expect(parsePyproject(text)).resolves.toBeTruthy()
      return
    }
    const e = await rejection(parsePyproject(text, { file: 'proj/pyproject.toml' }))
    expect(e.key).toBe(key)
    expect(e.message).toMatch(message!)
    expect(e.message.startsWith(`proj/pyproject.toml: ${key}: `)).toBe(true)
  })
  it('reports TOML syntax errors with line and column', async () => {
    const e = await rejection(parsePyproject('[project]\nname = spam\n'))
    expect(e.key).toBeNull()
    expect(e.message).toMatch(/invalid TOML at line 2, column \d+/)
  })
})

describe('[dependency-groups] (PEP 735)', () => {
  const text = `
[dependency-groups]
test = ["pytest>7", "coverage"]
docs = ["sphinx"]
Typing = ["mypy", {include-group = "test"}]
all = [{include-group = "typing"}, {include-group = "docs"}, "ruff"]
`
  it('expands include-group entries in order, with normalized names', async () => {
    const pyproject = await parsePyproject(text)
    expect(Object.keys(pyproject.dependencyGroups!)).toEqual(['test', 'docs', 'typing', 'all'])
    expect(resolveDependencyGroup(pyproject, 'ALL').map(String)).toEqual(['mypy', 'pytest>7', 'coverage', 'sphinx', 'ruff'])
  })
  it('reports cycles with their path', async () => {
    const pyproject = await parsePyproject('[dependency-groups]\na = [{include-group = "b"}]\nb = ["x", {include-group = "C"}]\nc = [{include-group = "a"}]\n')
    const e = error(() => resolveDependencyGroup(pyproject, 'a'))
    expect(e.message).toMatch(/include-group cycle: a -> b -> c -> a/)
  })
  it('reports unknown groups', async () => {
    const pyproject = await parsePyproject(text)
    expect(error(() => resolveDependencyGroup(pyproject, 'nope')).message).toMatch(/dependency group 'nope' is not defined \(groups: test, docs, typing, all\)/)
    const broken = await parsePyproject('[dependency-groups]\na = [{include-group = "missing"}]\n')
    expect(error(() => resolveDependencyGroup(broken, 'a')).key).toBe('dependency-groups.a')
  })
  it.each([
    ['[dependency-groups]\na = "x"\n', 'dependency-groups.a', /must be an array/],
    ['[dependency-groups]\na = [{include = "b"}]\n', 'dependency-groups.a[0]', /include-group/],
    ['[dependency-groups]\na = ["bad req["]\n', 'dependency-groups.a[0]', /Invalid requirement/],
    ['[dependency-groups]\nFoo = []\nfoo = []\n', 'dependency-groups.foo', /duplicates the group 'Foo'/],
  ])('%j', async (toml, key, message) => {
    const e = await rejection(parsePyproject(toml))
    expect(e.key).toBe(key)
    expect(e.message).toMatch(message)
  })
})
