"""The reference workload (M/M/7, 2 calls/min, 3-min exponential talk) in Ciw.

Usage: python ciw_mmc.py CALLS
Prints: calls, seconds, calls per second, mean hold (s).
Ciw runs until a time, so the horizon is set for CALLS expected arrivals.
"""
import sys
import time

import ciw

LAMBDA = 2 / 60.0  # calls per second
MEAN_TALK = 180.0
AGENTS = 7


def main(calls):
    ciw.seed(1)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=LAMBDA)],
        service_distributions=[ciw.dists.Exponential(rate=1 / MEAN_TALK)],
        number_of_servers=[AGENTS],
    )
    sim = ciw.Simulation(network)
    start = time.perf_counter()
    sim.simulate_until_max_time(calls / LAMBDA)
    elapsed = time.perf_counter() - start
    records = sim.get_all_records()
    waits = [r.waiting_time for r in records]
    print(f"{len(records)} {elapsed:.3f} {len(records) / elapsed:.0f} {sum(waits) / len(waits):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
