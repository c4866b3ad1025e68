"""Scripted behaviour: rules that match requests and change the answer, the timing or the outcome."""

from simulator.scenarios.engine import ScenarioEngine, ScenarioMatch

__all__ = ["ScenarioEngine", "ScenarioMatch"]
