/**
 * The one Python script pipette runs in an interpreter to learn everything it
 * needs about it. It prints a marker line and then one JSON object, so that a
 * sitecustomize that prints to stdout cannot corrupt the answer.
 *
 * What it captures and why:
 * - prefixes, versions, implementation, `sys.path`, user site: where things are
 *   installed and what `pip list` would see;
 * - every input of `packaging.tags.sys_tags()` (config variables `Py_DEBUG`,
 *   `Py_GIL_DISABLED`, `WITH_PYMALLOC`, `Py_UNICODE_SIZE`, `EXT_SUFFIX`,
 *   `SOABI`, `py_version_nodot`, `PYEMSCRIPTEN_PLATFORM_VERSION`;
 *   `sys.gettotalrefcount`, `EXTENSION_SUFFIXES`, `sys.maxunicode`, the pointer
 *   size, `platform.system()`, `sysconfig.get_platform()`, the glibc version,
 *   the answers of an importable `_manylinux` module, the macOS/iOS/Android
 *   versions), so tags can be computed in TypeScript;
 * - the install schemes pip uses (its `locations._sysconfig.get_scheme` rules):
 *   the default one, and templates for `--prefix`, `--home`/`--target` (pip
 *   installs `--target` through a home scheme) and the `venv` scheme, with the
 *   base replaced by a placeholder directory that TypeScript substitutes;
 * - the 11 keys of packaging's `markers.default_environment()`.
 *
 * The musl version and the ELF flags of the executable (armhf, i686) are read
 * by TypeScript from the executable itself (see elf.ts), not here.
 *
 * It must run on every Python 3 pipette may meet, so it uses no f-strings and
 * no syntax newer than 3.0; Python 2 reports itself as unsupported.
 */
export const QUERY_MARKER = '@@pipette-interpreter@@'

export const BASE_PLACEHOLDER_NAME = '@pipette-base@'

export const QUERY_SCRIPT = String.raw`
import sys
if sys.path and sys.path[0] == '':
    del sys.path[0]
import json, os
if sys.version_info[0] < 3:
    sys.stdout.write('\n${QUERY_MARKER}\n' + json.dumps({'error': 'unsupported', 'version': '%d.%d.%d' % sys.version_info[:3]}) + '\n')
    sys.exit(0)
import platform, site, struct, sysconfig
from importlib.machinery import EXTENSION_SUFFIXES

def cv(name):
    v = sysconfig.get_config_var(name)
    if v is None or isinstance(v, (int, str)):
        return v
    return str(v)

def full_version(info):
    v = '%d.%d.%d' % (info.major, info.minor, info.micro)
    if info.releaselevel != 'final':
        v += info.releaselevel[0] + str(info.serial)
    return v

def glibc_version():
    s = None
    try:
        s = os.confstr('CS_GNU_LIBC_VERSION')
    except (AttributeError, OSError, ValueError):
        s = None
    if s:
        parts = s.split()
        return parts[1] if len(parts) == 2 else None
    try:
        import ctypes
        f = ctypes.CDLL(None).gnu_get_libc_version
    except (ImportError, OSError, AttributeError):
        return None
    f.restype = ctypes.c_char_p
    v = f()
    return v if isinstance(v, str) else v.decode('ascii')

in_venv = sys.prefix != getattr(sys, 'base_prefix', sys.prefix) or hasattr(sys, 'real_prefix')
names = sysconfig.get_scheme_names()
preferred = getattr(sysconfig, 'get_preferred_scheme', None)
framework = bool(sysconfig.get_config_var('PYTHONFRAMEWORK'))
pyxy = '%d.%d' % sys.version_info[:2]
ph = os.path.join(os.path.abspath(os.sep), '${BASE_PLACEHOLDER_NAME}')
home_keys = ['installed_base', 'base', 'installed_platbase', 'platbase', 'prefix', 'exec_prefix']
if sysconfig.get_config_var('userbase') is not None:
    home_keys.append('userbase')

def infer_prefix():
    if preferred:
        return preferred('prefix')
    if 'osx_framework_library' in names and not in_venv and framework:
        return 'osx_framework_library'
    for n in (sys.implementation.name + '_' + os.name, sys.implementation.name, os.name + '_prefix', os.name):
        if n in names:
            return n
    return 'posix_prefix'

def infer_home():
    if preferred:
        return preferred('home')
    return os.name + '_home'

def infer_user():
    if preferred:
        return preferred('user')
    n = 'osx_framework_user' if framework and not in_venv else os.name + '_user'
    if n in names:
        return n
    return 'posix_user' if 'posix_user' in names else None

def pip_scheme(name, variables, user=False):
    if name is None:
        return None
    # As pip: sysconfig may fill the dict it is given with config variables,
    # and pip reads 'base'/'userbase' from it afterwards.
    variables = dict(variables)
    p = sysconfig.get_paths(scheme=name, vars=variables)
    include = p['include']
    if in_venv:
        base = variables.get('userbase' if user else 'base', sys.prefix)
        include = os.path.join(base, 'include', 'site', 'python' + pyxy)
    return {'name': name, 'purelib': p['purelib'], 'platlib': p['platlib'], 'scripts': p['scripts'], 'data': p['data'], 'include': include}

placeholder = dict((k, ph) for k in home_keys)
prefix_name = infer_prefix()
template_prefix_name = 'posix_prefix' if prefix_name == 'osx_framework_library' else prefix_name

if 'venv' in names:
    vp = sysconfig.get_paths(scheme='venv', vars={'base': ph, 'platbase': ph, 'installed_base': ph, 'installed_platbase': ph})
    venv_scheme = {'name': 'venv', 'purelib': vp['purelib'], 'platlib': vp['platlib'], 'scripts': vp['scripts'], 'data': vp['data'], 'include': vp['include']}
elif os.name == 'nt':
    lib = os.path.join(ph, 'Lib', 'site-packages')
    venv_scheme = {'name': None, 'purelib': lib, 'platlib': lib, 'scripts': os.path.join(ph, 'Scripts'), 'data': ph, 'include': os.path.join(ph, 'Include')}
else:
    lib = os.path.join(ph, 'lib', 'python' + pyxy, 'site-packages')
    venv_scheme = {'name': None, 'purelib': lib, 'platlib': lib, 'scripts': os.path.join(ph, 'bin'), 'data': ph, 'include': os.path.join(ph, 'include')}

glibc = glibc_version() if sys.platform.startswith('linux') else None
pointer_size = struct.calcsize('P')

manylinux = None
if glibc:
    try:
        import _manylinux
    except ImportError:
        _manylinux = None
    if _manylinux is not None:
        manylinux = {}
        arch = sysconfig.get_platform().replace('.', '_').replace('-', '_').replace(' ', '_')
        arch = arch.split('_', 1)[1] if arch.startswith('linux_') else arch
        if pointer_size == 4 or sys.maxsize <= 2 ** 32:
            arch = {'x86_64': 'i686', 'aarch64': 'armv8l'}.get(arch, arch)
        archs = ['armv8l', 'armv7l'] if arch == 'armv8l' else [arch]
        try:
            gmajor, gminor = [int(x) for x in glibc.split('.')[:2]]
        except ValueError:
            gmajor, gminor = 0, -1
        for a in archs:
            answers = {}
            for minor in range(gminor, -1, -1) if gmajor == 2 else []:
                ok = True
                if hasattr(_manylinux, 'manylinux_compatible'):
                    r = _manylinux.manylinux_compatible(2, minor, a)
                    ok = True if r is None else bool(r)
                elif minor == 5 and hasattr(_manylinux, 'manylinux1_compatible'):
                    ok = bool(_manylinux.manylinux1_compatible)
                elif minor == 12 and hasattr(_manylinux, 'manylinux2010_compatible'):
                    ok = bool(_manylinux.manylinux2010_compatible)
                elif minor == 17 and hasattr(_manylinux, 'manylinux2014_compatible'):
                    ok = bool(_manylinux.manylinux2014_compatible)
                answers['2_%d' % minor] = ok
            manylinux[a] = answers

mac = None
if sys.platform == 'darwin':
    rel, _, machine = platform.mac_ver()
    if rel.split('.')[:2] == ['10', '16']:
        import subprocess
        rel = subprocess.run([sys.executable, '-sS', '-c', 'import platform; print(platform.mac_ver()[0])'],
                             check=True, env={'SYSTEM_VERSION_COMPAT': '0'}, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout.strip()
    mac = {'version': rel, 'machine': machine}

system = platform.system()
ios = None
if system == 'iOS' and hasattr(platform, 'ios_ver'):
    ios = {'version': platform.ios_ver()[1]}
android = None
if system == 'Android' and hasattr(platform, 'android_ver'):
    android = {'apiLevel': platform.android_ver().api_level}

impl = sys.implementation
try:
    site_packages = site.getsitepackages()
except AttributeError:
    site_packages = []
try:
    user_site = site.getusersitepackages()
except AttributeError:
    user_site = None

config_names = ['py_version_nodot', 'EXT_SUFFIX', 'SOABI', 'Py_DEBUG', 'Py_GIL_DISABLED', 'WITH_PYMALLOC',
                'Py_UNICODE_SIZE', 'PYEMSCRIPTEN_PLATFORM_VERSION', 'MULTIARCH', 'LDVERSION', 'PYTHONFRAMEWORK']

out = {
    'executable': sys.executable,
    'baseExecutable': getattr(sys, '_base_executable', None),
    'realExecutable': os.path.realpath(sys.executable),
    'prefix': sys.prefix,
    'basePrefix': getattr(sys, 'base_prefix', sys.prefix),
    'execPrefix': sys.exec_prefix,
    'baseExecPrefix': getattr(sys, 'base_exec_prefix', sys.exec_prefix),
    'realPrefix': getattr(sys, 'real_prefix', None),
    'isVirtualEnv': in_venv,
    'version': platform.python_version(),
    'versionInfo': [sys.version_info[0], sys.version_info[1], sys.version_info[2], sys.version_info[3], sys.version_info[4]],
    'implementation': {'name': impl.name, 'version': full_version(impl.version), 'cacheTag': impl.cache_tag,
                       'multiarch': getattr(impl, '_multiarch', None)},
    'abiflags': getattr(sys, 'abiflags', ''),
    'osName': os.name,
    'sysPlatform': sys.platform,
    'platformSystem': system,
    'platform': sysconfig.get_platform(),
    'extSuffix': cv('EXT_SUFFIX'),
    'soabi': cv('SOABI'),
    'gilDisabled': bool(sysconfig.get_config_var('Py_GIL_DISABLED')),
    'configVars': dict((n, cv(n)) for n in config_names),
    'hasTotalRefcount': hasattr(sys, 'gettotalrefcount'),
    'extensionSuffixes': list(EXTENSION_SUFFIXES),
    'maxUnicode': sys.maxunicode,
    'maxsizeBits': sys.maxsize.bit_length() + 1,
    'pointerSize': pointer_size,
    'glibcVersion': glibc,
    'manylinuxModule': manylinux,
    'mac': mac,
    'ios': ios,
    'android': android,
    'paths': sysconfig.get_paths(),
    'schemes': {
        'default': pip_scheme(prefix_name, {}),
        'prefix': pip_scheme(template_prefix_name, placeholder),
        'home': pip_scheme(infer_home(), placeholder),
        'user': pip_scheme(infer_user(), {}, user=True),
        'venv': venv_scheme,
    },
    'placeholder': ph,
    'sysPath': list(sys.path),
    'site': {'enableUserSite': site.ENABLE_USER_SITE, 'userBase': getattr(site, 'USER_BASE', None),
             'userSite': user_site, 'sitePackages': site_packages},
    'markerEnvironment': {
        'implementation_name': impl.name,
        'implementation_version': full_version(impl.version),
        'os_name': os.name,
        'platform_machine': platform.machine(),
        'platform_release': platform.release(),
        'platform_system': system,
        'platform_version': platform.version(),
        'python_full_version': platform.python_version(),
        'platform_python_implementation': platform.python_implementation(),
        'python_version': '.'.join(platform.python_version_tuple()[:2]),
        'sys_platform': sys.platform,
    },
}
sys.stdout.write('\n${QUERY_MARKER}\n' + json.dumps(out) + '\n')
`
