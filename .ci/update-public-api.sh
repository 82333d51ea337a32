#!/usr/bin/env bash
# Regenerates src/ModelSelection/PublicAPI.Unshipped.txt from the PublicApiAnalyzers diagnostics:
# adds every symbol RS0016 reports as undeclared and drops every line RS0017 reports as removed.
# Run after changing the public surface, then review the diff: it is the API change.
set -euo pipefail
cd "$(dirname "$0")/../src/ModelSelection"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors=RS0016%3BRS0017 2>&1 | tee "$log" >/dev/null || true
{
  grep -v '^#nullable' PublicAPI.Unshipped.txt || true
  grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared (public )?API)" "$log" || true
} | sort -u > PublicAPI.Unshipped.new
grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API)" "$log" | sort -u > PublicAPI.Removed.tmp || true
{ echo '#nullable enable'; grep -vxF -f PublicAPI.Removed.tmp PublicAPI.Unshipped.new || true; } > PublicAPI.Unshipped.txt
rm -f PublicAPI.Unshipped.new PublicAPI.Removed.tmp
echo "PublicAPI.Unshipped.txt: $(($(wc -l < PublicAPI.Unshipped.txt) - 1)) symbols"
