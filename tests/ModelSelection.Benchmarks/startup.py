"""Start-up timing for docs/benchmarks.md ("Console start-up"): median wall time of each command line.

Usage: python3 startup.py RUNS "COMMAND LINE" ["COMMAND LINE" ...]
Each command runs 3 times to warm the file cache, then RUNS times with stdout and stderr sent to /dev/null.
"""
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmds = sys.argv[2:]
for c in cmds:
    for _ in range(3): subprocess.run(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); subprocess.run(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); ts.append(time.perf_counter() - t)
    print(f"{statistics.median(ts)*1000:8.1f} ms median  (min {min(ts)*1000:.1f}, max {max(ts)*1000:.1f}, n={runs})  {c}")
