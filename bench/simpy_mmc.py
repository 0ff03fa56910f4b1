"""The reference workload (M/M/7, 2 calls/min, 3-min exponential talk) in SimPy.

Usage: python simpy_mmc.py CALLS
Prints: calls, seconds, calls per second, mean hold (s).
The model is the textbook SimPy one: a Resource with capacity 7 and a process per caller.
"""
import random
import sys
import time

import simpy

LAMBDA = 2 / 60.0  # calls per second
MEAN_TALK = 180.0
AGENTS = 7


def main(calls):
    rng = random.Random(1)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    waits = []

    def caller(env):
        arrived = env.now
        with agents.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1 / MEAN_TALK))

    def source(env):
        for _ in range(calls):
            yield env.timeout(rng.expovariate(LAMBDA))
            env.process(caller(env))

    env.process(source(env))
    start = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - start
    print(f"{len(waits)} {elapsed:.3f} {len(waits) / elapsed:.0f} {sum(waits) / len(waits):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
