/** Debian's real wheels (python3-pip-whl, python3-setuptools-whl, python3-wheel-whl; scripts/setup.sh installs them). */
export const DEBIAN_WHEELS = '/usr/share/python-wheels'
