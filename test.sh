#!/usr/bin/env bash
# The one test command: builds the solution once and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Legate.slnx -c Release -nologo -v minimal
dotnet test Legate.slnx -c Release --no-build -nologo --logger "console;verbosity=minimal" "$@"
