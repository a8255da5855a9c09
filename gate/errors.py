"""The one error type the gate raises: every condition for which the CLI exits 2."""


class GateError(Exception):
    """A run that could not produce a verdict; ``str(err)`` is one readable paragraph."""
