"""Provider code: only what a provider's spec and behaviour data cannot say, one package per provider.

Each module exposes `HOOKS: ProviderHooks`, a registration table of handlers by operation id.
"""
