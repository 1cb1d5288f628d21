#!/usr/bin/env bash
# The one test command: builds the solution once, runs every test project, then publishes the native AOT
# executable (what `dotnet publish` ships) and runs the executable tests again against it.
# LEGATE_TEST_NATIVE=0 skips the native pass (quicker local loops; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Legate.slnx -c Release -nologo -v minimal
dotnet test Legate.slnx -c Release --no-build -nologo --logger "console;verbosity=minimal" "$@"
if [ "${LEGATE_TEST_NATIVE:-1}" != 0 ]; then
  native="$(pwd)/.work/native"
  dotnet publish src/Legate.Cli -c Release -o "$native" -nologo -v minimal
  LEGATE_EXECUTABLE="$native/legate" dotnet test test/Legate.IntegrationTests -c Release --no-build -nologo \
    --logger "console;verbosity=minimal" --filter "Category=Executable" "$@"
fi
