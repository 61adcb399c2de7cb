#!/usr/bin/env bash
# Installs the system libraries Formulary builds against (Debian or Ubuntu, with Swift 6 installed):
# GitHub's CommonMark parser, cmark-gfm, and its extensions.
set -euo pipefail
packages=(libcmark-gfm-dev libcmark-gfm-extensions-dev)
if dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${packages[@]}"
