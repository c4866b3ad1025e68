"""State storage: the Store protocol and its in-memory implementation."""

from simulator.store.base import Store
from simulator.store.memory import MemoryStore

__all__ = ["Store", "MemoryStore"]
