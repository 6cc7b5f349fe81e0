"""PyTorch peer of Action Lens's flow for the speed race (bench/run.ts). The bench only; never the product.

Reads a problem written by bench/export.ts (data, batch size, layer structure, flat float64
parameters in Action Lens's layout) and either
  --check: prints loss and gradient at the given weights on batch 0 (JSON), or
  --time S: warm-up, then Adam steps (loss, backward, clipping, step) for at least S seconds; prints steps/s.
Run with /usr/bin/python3, OPENBLAS_NUM_THREADS=1 and one torch thread, like Action Lens's one core.
"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
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
        flat = torch.tensor(problem["params"], dtype=torch.float64)
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
    print(json.dumps({"side": "pytorch", "steps": steps, "seconds": elapsed, "stepsPerSecond": steps / elapsed}))


if __name__ == "__main__":
    main()
