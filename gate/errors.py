"""The one error type the gate raises: every condition for which the CLI exits 2."""


class GateError(Exception):
    """A run that could not produce a verdict; ``str(err)`` is one readable paragraph."""


class PolicyConfigError(GateError):
    """The pack found its config invalid (its config-validating policy reported problems).

    ``report`` is the run's report, kept so that a caller can still read what the pack said.
    """

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report
