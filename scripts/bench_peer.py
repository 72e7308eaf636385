#!/usr/bin/python3
"""The PyTorch peer of scripts/bench.ts: the same rows, measured the same way, printed as one JSON object.

Why a peer: a tfjs timing means little alone; PyTorch on the same machine, with Debian's python3-torch on
OpenBLAS (libopenblas0-pthread) and one thread per core, is the yardstick the issue asks for.
Rows and shapes mirror bench.ts (same names, so the ratio ours/peer is computed per row):
  mlp-teacher-step   784-1200-1200-10 ReLU MLP, one SGD step at batch 128 (Hinton et al. 2015's teacher)
  mlp-student-step   784-800-800-10, same step
  kd-student-step    the student's step with the distillation loss on cached teacher logits (T=4)
  cnn-teacher-step   conv5x5x32-pool-conv5x5x64-pool-dense128-10, one SGD step at batch 64
  infer-*            forward pass of 1,000 examples (no gradient)
Usage: /usr/bin/python3 scripts/bench_peer.py --repeats=N --warmup=W --only=row1,row2
When torch is missing it prints {"missing": "..."} and exits 0: the benchmark says so and carries on.
"""
import json
import os
import sys
import time


def parse_args(argv):
    opts = {"repeats": 10, "warmup": 3, "only": ""}
    for arg in argv:
        if not arg.startswith("--") or "=" not in arg:
            sys.exit(f"unexpected argument {arg!r}; use --repeats=N --warmup=N --only=a,b")
        key, value = arg[2:].split("=", 1)
        if key not in opts:
            sys.exit(f"unknown option --{key}; valid: {', '.join('--' + k for k in opts)}")
        opts[key] = value if key == "only" else int(value)
    return opts


def main():
    opts = parse_args(sys.argv[1:])
    try:
        import torch
        import torch.nn.functional as F
    except Exception as e:  # noqa: BLE001 - any import failure means "no peer here"
        print(json.dumps({"missing": f"PyTorch could not be imported by {sys.executable}: {e}; "
                                     "install Debian's python3-torch and libopenblas0-pthread"}))
        return

    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)

    def mlp(sizes):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        return torch.nn.Sequential(*layers)

    def cnn():
        return torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(32, 64, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(7 * 7 * 64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))

    def kd_loss(student_logits, teacher_logits, labels, T=4.0, soft_weight=0.9):
        # Hinton et al. (2015): T^2 * CE(softmax(v/T), softmax(z/T)) + hard cross-entropy.
        soft = -(F.softmax(teacher_logits / T, 1) * F.log_softmax(student_logits / T, 1)).sum(1).mean()
        return soft_weight * T * T * soft + (1 - soft_weight) * F.cross_entropy(student_logits, labels)

    def step_row(model, x, loss_fn):
        opt = torch.optim.SGD(model.parameters(), lr=0.01)

        def run():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x))
            loss.backward()
            opt.step()
            loss.item()
        return run

    def infer_row(model, x):
        def run():
            with torch.no_grad():
                model(x).sum().item()
        return run

    g = torch.Generator().manual_seed(1)
    x128 = torch.rand(128, 784, generator=g)
    y128 = torch.randint(0, 10, (128,), generator=g)
    cached_teacher = torch.randn(128, 10, generator=g) * 3
    img64 = torch.rand(64, 1, 28, 28, generator=g)
    y64 = torch.randint(0, 10, (64,), generator=g)
    x1000 = torch.rand(1000, 784, generator=g)
    img1000 = torch.rand(1000, 1, 28, 28, generator=g)

    teacher, student, conv = mlp([784, 1200, 1200, 10]), mlp([784, 800, 800, 10]), cnn()
    rows = {
        "mlp-teacher-step": (128, lambda: step_row(teacher, x128, lambda z: F.cross_entropy(z, y128))),
        "mlp-student-step": (128, lambda: step_row(student, x128, lambda z: F.cross_entropy(z, y128))),
        "kd-student-step": (128, lambda: step_row(student, x128, lambda z: kd_loss(z, cached_teacher, y128))),
        "cnn-teacher-step": (64, lambda: step_row(conv, img64, lambda z: F.cross_entropy(z, y64))),
        "infer-mlp-teacher": (1000, lambda: infer_row(teacher, x1000)),
        "infer-mlp-student": (1000, lambda: infer_row(student, x1000)),
        "infer-cnn-teacher": (1000, lambda: infer_row(conv, img1000)),
    }
    only = [s for s in opts["only"].split(",") if s]
    results = {}
    for name, (examples, make) in rows.items():
        if only and name not in only:
            continue
        run = make()
        for _ in range(opts["warmup"]):
            run()
        times = []
        for _ in range(opts["repeats"]):
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        results[name] = {"ms": times[len(times) // 2], "examples": examples, "repeats": len(times)}
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        # Debian's torch calls the generic libblas.so.3; which BLAS that is depends on the alternatives.
        "blas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"),
        "rows": results,
    }))


if __name__ == "__main__":
    main()
