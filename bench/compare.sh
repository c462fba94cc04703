#!/usr/bin/env bash
# Side-by-side speed comparison with the bm25s peer on the same corpus,
# passages and questions (issue 6). Not part of the tests.
#
# Usage: bench/compare.sh [CORPUS_DIR] [QUESTIONS]
#   CORPUS_DIR defaults to target/scale-corpus/linux, built by
#   make-scale-corpus.sh (../shared/bench/) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-target/scale-corpus/linux}
questions=${2:-bench/linux-doc-questions.txt}
work=target/bench-compare
mkdir -p "$work"
if [ ! -d "$corpus" ]; then
  bash bench/make-scale-corpus.sh "$corpus"
fi
cargo build --release --locked --quiet
echo "== verbatim (whole answers: retrieval + figures + composition)"
./target/release/verbatim --corpus "$corpus" --index "$work/index" bench \
  --questions "$questions" --rebuild --export-passages "$work/passages.txt"
echo "== verbatim, second process on the built index (cold start from disk)"
./target/release/verbatim --corpus "$corpus" --index "$work/index" bench --questions "$questions"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet "bm25s==0.3.16"
fi
echo "== bm25s 0.3.16 (plain pip install), same passages"
"$work/venv/bin/python" bench/bm25s_peer.py "$work/passages.txt" "$questions" "$work/bm25s-index"
if "$work/venv/bin/pip" install --quiet numba; then
  echo "== bm25s 0.3.16 + numba, same passages"
  "$work/venv/bin/python" bench/bm25s_peer.py "$work/passages.txt" "$questions" "$work/bm25s-index-numba" numba
fi
