"""PyTorch peer of Action Lens's flow for the speed race (bench/run.ts). The bench only; never the product.

Reads a problem written by bench/export.ts (data, batch size, layer structure, flat float64
parameters in Action Lens's layout) and either
  --check: prints loss and gradient at the given weights on batch 0 (JSON), or
  --time S: warm-up, then Adam steps (loss, backward, clipping, step) for at least S seconds; prints steps/s,
  the threads and dtype it ran with, and the BLAS it computed with (blas: the file that defines the
  sgemm_ torch calls; blasKind: openblas, reference, mkl, blis or other; blasLibraries: the BLAS-like
  libraries in /proc/self/maps), looked up after the timed products: Debian's torch calls whatever
  libblas.so.3 the alternatives system points at, and the reference BLAS is about 4x slower, which
  would flatter the comparison (the bench refuses to compare unless it is OpenBLAS, bench/proc.ts).
Run with /usr/bin/python3 and OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = --threads (bench/proc.ts does):
with more BLAS threads than torch threads, OpenBLAS and OpenMP oversubscribe the cores.
"""
import ctypes
import json
import math
import os
import sys
import time

import torch

def _arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


# --threads N (default 1) and --dtype float32|float64 (default float64, as the check needs): the race
# counts PyTorch at its best, the faster of one and two threads in float32.
torch.set_num_threads(int(_arg("--threads", "1")))
DTYPE = {"float32": torch.float32, "float64": torch.float64}[_arg("--dtype", "float64")]
torch.set_default_dtype(DTYPE)
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
C_FLOOR = 1e-4
A_SHRINK = 0.999


class Flow(torch.nn.Module):
    """The same flow as src/core/flow: standardize, then (AffineLU, cubic | coupling) blocks."""

    def __init__(self, problem):
        super().__init__()
        d = problem["d"]
        self.d = d
        self.layers = problem["layers"]
        flat = torch.tensor(problem["params"], dtype=DTYPE)
        self.params = torch.nn.ParameterList()
        self.lo_idx = torch.tril_indices(d, d, -1)
        self.up_idx = torch.triu_indices(d, d, 1)
        off = 0
        for layer in self.layers:
            count = layer["paramCount"]
            self.params.append(torch.nn.Parameter(flat[off:off + count].clone()))
            off += count

    def forward(self, x):
        d = self.d
        log_det = torch.zeros(x.shape[0])
        for layer, p in zip(self.layers, self.params):
            kind = layer["kind"]
            if kind == "standardize":
                mean = torch.tensor(layer["mean"])
                std = torch.tensor(layer["std"])
                x = (x - mean) / std
                log_det = log_det - torch.log(std).sum()
            elif kind == "affine":
                n_tri = d * (d - 1) // 2
                lo = torch.eye(d).index_put((self.lo_idx[0], self.lo_idx[1]), p[:n_tri])
                s = p[2 * n_tri:2 * n_tri + d]
                up = torch.diag(torch.exp(s)).index_put((self.up_idx[0], self.up_idx[1]), p[n_tri:2 * n_tri])
                w = (lo @ up)[layer["permutation"]]
                x = x @ w.T + p[2 * n_tri + d:]
                log_det = log_det + s.sum()
            elif kind == "cubic":
                gamma, beta = p[:d], p[d:]
                c = torch.log1p(torch.exp(gamma)) + C_FLOOR
                a = torch.sqrt(3 * c) * torch.tanh(beta) * A_SHRINK
                u = x
                x = u + u * u * (a + c * u)
                log_det = log_det + torch.log(1 + u * (2 * a + 3 * c * u)).sum(dim=1)
            elif kind == "coupling":
                ca, tb, h = layer["conditioner"], layer["transformed"], layer["hidden"]
                na, nb = len(ca), len(tb)
                u_w = p[:h * na].reshape(h, na)
                c = p[h * na:h * na + h]
                v_w = p[h * na + h:].reshape(nb, h)
                s = x[:, ca] @ u_w.T + c
                t = (s * s) @ v_w.T
                x = x.index_add(1, torch.tensor(tb), t)
            else:
                raise ValueError(kind)
        return x, log_det

    def loss(self, x):
        z, log_det = self.forward(x)
        return (0.5 * (z * z).sum(dim=1) + self.d * HALF_LOG_2PI - log_det).mean()

    def flat_grad(self):
        return torch.cat([p.grad if p.grad is not None else torch.zeros_like(p) for p in self.params])


def mapped_libraries():
    """Paths of the shared libraries this process has mapped (/proc/self/maps), in load order."""
    paths = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and ".so" in parts[5] and parts[5] not in paths:
                paths.append(parts[5])
    return paths


class _DlInfo(ctypes.Structure):
    _fields_ = [("fname", ctypes.c_char_p), ("fbase", ctypes.c_void_p), ("sname", ctypes.c_char_p), ("saddr", ctypes.c_void_p)]


def blas_provider(mapped):
    """The file that defines the sgemm_ libtorch calls, or None. The dynamic linker binds libtorch's
    symbols in the global scope first (the program, LD_PRELOAD, libraries loaded RTLD_GLOBAL), then in
    libtorch's own dependencies: dlsym on dlopen(NULL), then on libtorch's handle, finds the same one;
    dladdr names its file."""
    torch_lib = next((p for p in mapped if "libtorch_cpu" in os.path.basename(p)), None)
    dladdr = ctypes.CDLL(None).dladdr
    dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
    for scope in (None, torch_lib):
        try:
            gemm = ctypes.CDLL(scope).sgemm_
        except (AttributeError, OSError):
            continue
        info = _DlInfo()
        if dladdr(ctypes.cast(gemm, ctypes.c_void_p), ctypes.byref(info)) and info.fname:
            return os.path.realpath(info.fname.decode())
    return None


def blas_kind(path):
    """openblas, mkl, blis, reference or other, from the library's path."""
    low = path.lower()
    for kind in ("openblas", "mkl", "blis"):
        if kind in low:
            return kind
    # Debian's libblas3 lives in .../blas/; elsewhere (Fedora) the reference libblas.so sits in the
    # plain library directory. A libblas.so in another named directory (atlas, ...) is something else.
    parent = os.path.basename(os.path.dirname(path))
    plain_dir = parent in ("lib", "lib64") or parent.endswith("-linux-gnu")
    if parent == "blas" or (plain_dir and os.path.basename(path).startswith("libblas.so")):
        return "reference"
    return "other"


def loaded_blas():
    """(path, kind, mapped BLAS libraries) of the BLAS torch computes with. Call after a product has run.
    Debian's torch calls sgemm_ from libblas.so.3, which the alternatives system points at OpenBLAS's
    build or the reference one; a mapped libopenblas alone proves nothing, so the provider decides."""
    mapped = mapped_libraries()
    blas_like = [p for p in mapped if any(k in os.path.basename(p).lower() for k in ("blas", "mkl", "blis"))]
    provider = blas_provider(mapped)
    if provider is None and blas_like:
        provider = blas_like[0]
    if provider is None:
        return None, "other", blas_like
    kind = blas_kind(provider)
    if kind == "other" and "BLAS_INFO=mkl" in torch.__config__.show():
        kind = "mkl"  # MKL linked statically into libtorch (PyPI wheels)
    return provider, kind, blas_like


def batch_at(data, d, batch, b):
    rows = data.shape[0]
    idx = [(b * batch + r) % rows for r in range(batch)]
    return data[idx]


def main():
    problem = json.load(open(sys.argv[1]))
    d, batch = problem["d"], problem["batch"]
    data = torch.tensor(problem["data"]).reshape(-1, d)
    flow = Flow(problem)
    if "--check" in sys.argv:
        loss = flow.loss(batch_at(data, d, batch, 0))
        loss.backward()
        print(json.dumps({"loss": loss.item(), "grad": flow.flat_grad().tolist()}))
        return
    seconds = float(sys.argv[sys.argv.index("--time") + 1])
    opt = torch.optim.Adam(flow.parameters(), lr=1e-3)
    batches = [batch_at(data, d, batch, b) for b in range(data.shape[0] // batch)]
    count = [0]

    def step():
        x = batches[count[0] % len(batches)]
        count[0] += 1
        opt.zero_grad()
        loss = flow.loss(x)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(flow.parameters(), 100.0)
        opt.step()

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.3 or count[0] < 5:
        step()
    steps = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        steps += 1
    elapsed = time.perf_counter() - t0
    blas, kind, blas_like = loaded_blas()
    print(json.dumps({
        "side": "pytorch",
        "steps": steps,
        "seconds": elapsed,
        "stepsPerSecond": steps / elapsed,
        "threads": torch.get_num_threads(),
        "dtype": str(DTYPE).replace("torch.", ""),
        "blas": blas,
        "blasKind": kind,
        "blasLibraries": blas_like,
        "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "ompThreads": os.environ.get("OMP_NUM_THREADS"),
    }))


if __name__ == "__main__":
    main()
