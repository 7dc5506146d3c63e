#!/usr/bin/env bash
# The GitHub Action's step: runs labcheck once and fans its results out to
# what GitHub reads: annotations on stdout, the Markdown summary in
# $GITHUB_STEP_SUMMARY, step outputs in $GITHUB_OUTPUT (score, max-score,
# sarif-file, result, json-file), a SARIF file and a Classroom result.
# Inputs arrive as INPUT_* variables; none of them is ever evaluated by the
# shell.
set -uo pipefail

: "${LABCHECK:?LABCHECK must name the labcheck binary}"
: "${GITHUB_OUTPUT:?not running under GitHub Actions: GITHUB_OUTPUT is unset}"
: "${GITHUB_STEP_SUMMARY:?not running under GitHub Actions: GITHUB_STEP_SUMMARY is unset}"
work="${RUNNER_TEMP:-$(mktemp -d)}"

args=()
if [ "${INPUT_VERIFY:-false}" = "true" ]; then
  args+=(verify)
fi
args+=(--format github --fail-on "${INPUT_FAIL_ON:-error}")
args+=(--output "json=$work/labcheck.json" --output "markdown=$work/labcheck.md")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_RUBRIC:-}" ] && args+=(--rubric "$INPUT_RUBRIC")
[ -n "${INPUT_SARIF_FILE:-}" ] && args+=(--output "sarif=$INPUT_SARIF_FILE")
[ -n "${INPUT_CLASSROOM_FILE:-}" ] && args+=(--output "classroom=$INPUT_CLASSROOM_FILE")
read -r -a paths <<<"${INPUT_PATH:-.}"

"$LABCHECK" "${args[@]}" -- "${paths[@]}"
code=$?
if [ "$code" -ge 2 ]; then
  echo "::error title=labcheck::labcheck could not run (exit $code); see the log above"
  exit "$code"
fi

cat "$work/labcheck.md" >>"$GITHUB_STEP_SUMMARY"

# The JSON report's score block is {"points": P, "max": M, "reachable": R}.
score=$(sed -n '/^  "score": {/,/}/s/^ *"points": \([0-9.]*\),*$/\1/p' "$work/labcheck.json")
max=$(sed -n '/^  "score": {/,/}/s/^ *"max": \([0-9.]*\),*$/\1/p' "$work/labcheck.json")
reachable=$(sed -n '/^  "score": {/,/}/s/^ *"reachable": \([0-9.]*\),*$/\1/p' "$work/labcheck.json")
{
  echo "score=${score}"
  echo "max-score=${max}"
  echo "reachable-score=${reachable}"
  echo "sarif-file=${INPUT_SARIF_FILE:-}"
  echo "json-file=$work/labcheck.json"
  if [ -n "${INPUT_CLASSROOM_FILE:-}" ]; then
    echo "result=$(base64 -w0 <"$INPUT_CLASSROOM_FILE")"
  fi
} >>"$GITHUB_OUTPUT"
echo "labcheck: ${score}/${max} points"
exit "$code"
