"""The bm25s peer, on the same passages and questions as `verbatim bench`.

Usage: python bm25s_peer.py PASSAGES QUESTIONS INDEX_DIR [numba]
With `numba`, retrieval uses bm25s's numba backend (its JIT compile time is
part of the cold pass). Prints build time, the cold pass (load + answer all questions),
top-10 query latency percentiles and peak RSS, in the same shape as
`verbatim bench`.
"""

import resource
import sys
import time

import bm25s


def main():
    passages_path, questions_path, index_dir = sys.argv[1:4]
    backend = sys.argv[4] if len(sys.argv) > 4 else "numpy"
    with open(passages_path, encoding="utf-8") as f:
        passages = [line.rstrip("\n") for line in f]
    with open(questions_path, encoding="utf-8") as f:
        questions = [q.strip() for q in f if q.strip() and not q.startswith("#")]

    t = time.perf_counter()
    tokens = bm25s.tokenize(passages, stopwords="en", show_progress=False)
    retriever = bm25s.BM25(backend=backend)
    retriever.index(tokens, show_progress=False)
    build = time.perf_counter() - t
    retriever.save(index_dir)
    mb = sum(len(p.encode("utf-8")) for p in passages) / 1e6

    t = time.perf_counter()
    loaded = bm25s.BM25.load(index_dir)
    loaded.backend = backend
    for q in questions:
        loaded.retrieve(bm25s.tokenize([q], stopwords="en", show_progress=False), k=10, show_progress=False)
    cold = time.perf_counter() - t

    times = []
    for _ in range(3):
        for q in questions:
            t = time.perf_counter()
            loaded.retrieve(bm25s.tokenize([q], stopwords="en", show_progress=False), k=10, show_progress=False)
            times.append(time.perf_counter() - t)
    times.sort()

    def pct(p):
        i = max(1, min(len(times), int(len(times) * p + 0.999999))) - 1
        return times[i] * 1000

    print(f"peer            bm25s {bm25s.__version__} ({backend}), {len(passages)} passages, {mb:.1f} MB")
    print(f"index build     {build:.2f} s ({mb / build:.1f} MB/s)")
    print(f"cold pass       {len(questions)} questions in {cold * 1000:.1f} ms (load + top-10 retrieval)")
    print(f"query latency   p50 {pct(0.5):.3f} ms  p90 {pct(0.9):.3f} ms  p99 {pct(0.99):.3f} ms  (top-10 retrieval only)")
    print(f"peak RSS        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
