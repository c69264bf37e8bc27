# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Real cocotb (PyPI) driving rtl/common/wm_fifo.sv, the same top the C++ harness tests.

The story matches the harness test: start a clock, reset, push and pop at random with
backpressure on both sides, and check every output every cycle against a Python model.
cocotb reseeds `random` per test from COCOTB_RANDOM_SEED and the test name, so a run is
reproduced by its seed alone.
"""

import os
import random
from collections import deque

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge

# The runner builds the DUT with these parameters (tb/cocotb/run_cocotb.py passes them).
WIDTH = int(os.environ.get("WM_FIFO_WIDTH", "32"))
DEPTH = int(os.environ.get("WM_FIFO_DEPTH", "4"))
# Short in `make test`; regress raises it.
CYCLES = int(os.environ.get("WM_FIFO_CYCLES", "5000"))


class FifoModel:
    """What wm_fifo must do: an ordered queue of at most DEPTH words; flush wins over push."""

    def __init__(self, depth: int, drop_every: int = 0) -> None:
        self.depth = depth
        self.words: deque[int] = deque()
        # Deliberately wrong model (drops every n-th push) to prove the scoreboard can fail.
        self.drop_every = drop_every
        self.pushes = 0

    def step(self, push: bool, data: int, pop: bool, flush: bool) -> None:
        if flush:
            self.words.clear()
            return
        if pop:
            self.words.popleft()
        if push:
            self.pushes += 1
            if not (self.drop_every and self.pushes % self.drop_every == 0):
                self.words.append(data)


async def reset(dut) -> None:
    dut.rst_ni.value = 0
    dut.flush_i.value = 0
    dut.wvalid_i.value = 0
    dut.wdata_i.value = 0
    dut.rready_i.value = 0
    await ClockCycles(dut.clk_i, 2)
    dut.rst_ni.value = 1


async def random_traffic(dut, model: FifoModel, cycles: int) -> dict[str, int]:
    """Drives random traffic; checks every output against `model` in every cycle."""
    seen = {"push": 0, "pop": 0, "full": 0, "empty": 0, "flush": 0}
    for cycle in range(cycles):
        await RisingEdge(dut.clk_i)
        wvalid = random.random() < 0.6
        rready = random.random() < 0.5
        flush = random.random() < 0.01
        data = random.getrandbits(WIDTH)
        dut.wvalid_i.value = int(wvalid)
        dut.wdata_i.value = data
        dut.rready_i.value = int(rready)
        dut.flush_i.value = int(flush)
        await ReadOnly()

        held = len(model.words)
        count = int(dut.count_o.value)
        rvalid = bool(dut.rvalid_o.value)
        wready = bool(dut.wready_o.value)
        assert count == held, f"cycle {cycle}: count_o {count}, model holds {held}"
        assert rvalid == (held > 0), f"cycle {cycle}: rvalid_o {rvalid} with {held} held"
        assert wready == (held < model.depth), f"cycle {cycle}: wready_o {wready}, {held} held"
        if rvalid:
            got = int(dut.rdata_o.value)
            assert got == model.words[0], (
                f"cycle {cycle}: rdata_o {got:#x}, expected {model.words[0]:#x}"
            )

        push = wvalid and wready
        pop = rready and rvalid
        model.step(push, data, pop, flush)
        seen["push"] += push
        seen["pop"] += pop
        seen["full"] += not wready
        seen["empty"] += not rvalid
        seen["flush"] += flush
    return seen


@cocotb.test()
async def fifo_random_traffic(dut) -> None:
    """Random push/pop/flush with backpressure, scoreboarded every cycle."""
    cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    await reset(dut)
    seen = await random_traffic(dut, FifoModel(DEPTH), CYCLES)
    # A run that never filled, emptied or flushed the FIFO proved little.
    for what in ("push", "pop", "full", "empty", "flush"):
        assert seen[what] > 0, f"stimulus never produced a {what} in {CYCLES} cycles: {seen}"
    dut._log.info("%d cycles: %s", CYCLES, seen)


@cocotb.test()
async def fifo_fills_then_drains_in_order(dut) -> None:
    """Directed: DEPTH pushes fill it (wready_o falls), DEPTH pops return them in order."""
    cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    await reset(dut)
    words = [random.getrandbits(WIDTH) for _ in range(DEPTH)]
    for word in words:
        await RisingEdge(dut.clk_i)
        dut.wvalid_i.value = 1
        dut.wdata_i.value = word
    await RisingEdge(dut.clk_i)
    dut.wvalid_i.value = 0
    await ReadOnly()
    assert int(dut.count_o.value) == DEPTH, f"count_o {int(dut.count_o.value)} after filling"
    assert not dut.wready_o.value, "wready_o high while full"
    for word in words:
        await RisingEdge(dut.clk_i)
        dut.rready_i.value = 1
        await ReadOnly()
        got = int(dut.rdata_o.value)
        assert got == word, f"rdata_o {got:#x}, expected {word:#x}"
    await RisingEdge(dut.clk_i)
    dut.rready_i.value = 0
    await ReadOnly()
    assert not dut.rvalid_o.value, "rvalid_o high after draining"


@cocotb.test(expect_fail=True)
async def scoreboard_catches_a_lost_word(dut) -> None:
    """The scoreboard must fail when the model and the DUT disagree (here: the model loses
    every 7th push). cocotb counts this test as passed only if the check fails."""
    cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    await reset(dut)
    await random_traffic(dut, FifoModel(DEPTH, drop_every=7), min(CYCLES, 500))
