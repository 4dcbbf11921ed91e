"""The benchmark's PyTorch side: the same programs as scripts/bench.ts, timed the same way, printed as JSON.
Run by `npm run bench` when Debian's python3-torch is installed; one thread, as our engine uses one (and the two
large programs again on two threads, beside the wasm engine's threaded rows)."""
import json
import sys
import time

import torch

torch.set_num_threads(1)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def data(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 2, generator=g) * 3
    y = (X[:, 0] + X[:, 1] > 0).float().reshape(-1, 1)
    return X, y


def train_seconds(n, sizes, epochs):
    torch.manual_seed(0)
    model = mlp(sizes)
    X, y = data(n)
    crit = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    t = time.perf_counter()
    for _ in range(epochs):
        loss = crit(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return time.perf_counter() - t


def grid_seconds():
    torch.manual_seed(0)
    model = mlp([2, 10, 1])
    xs = torch.linspace(-10, 10, 100)
    xx, yy = torch.meshgrid(xs, xs, indexing="xy")
    mesh = torch.stack([xx.ravel(), yy.ravel()], 1)
    times = []
    for _ in range(50):
        t = time.perf_counter()
        with torch.no_grad():
            torch.sigmoid(model(mesh))
        times.append(time.perf_counter() - t)
    return median(times)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    train_seconds(800, [2, 10, 1], 50)  # warm-up
    tutorial = median([train_seconds(800, [2, 10, 1], 1000) for _ in range(reps)])
    train_seconds(6554, [2, 128, 128, 1], 2)
    large = median([train_seconds(6554, [2, 128, 128, 1], 5) / 5 for _ in range(reps)])
    train_seconds(100000, [2, 256, 256, 1], 1)
    huge = median([train_seconds(100000, [2, 256, 256, 1], 1) for _ in range(3)])
    grid = grid_seconds()
    # The two large programs again on 2 threads, beside the wasm engine's threaded rows.
    torch.set_num_threads(2)
    train_seconds(6554, [2, 128, 128, 1], 2)
    large2 = median([train_seconds(6554, [2, 128, 128, 1], 5) / 5 for _ in range(reps)])
    huge2 = median([train_seconds(100000, [2, 256, 256, 1], 1) for _ in range(3)])
    torch.set_num_threads(1)
    print(json.dumps({"torch": torch.__version__, "tutorialSeconds": tutorial, "largeEpochSeconds": large, "hugeEpochSeconds": huge, "gridSeconds": grid,
                      "largeEpochSeconds2": large2, "hugeEpochSeconds2": huge2}))


main()
