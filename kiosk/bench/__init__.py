"""The benchmark suite: a generator of large synthetic bundles and the benchmarks of
DESIGN.md section 6, each run in its own child process, with their results written to
benchmarks/results.json and benchmarks/RESULTS.md. `python -m kiosk.bench --help`;
docs/performance.md describes each figure's method.
"""
