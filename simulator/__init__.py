"""provider-sim: a local, stateful simulator of payment providers for contract testing."""

__version__ = "0.1.0"
