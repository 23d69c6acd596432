"""Domain errors raised by services and turned into responses by the web layer."""


class DomainError(Exception):
    """Base class for errors a person can do something about."""


class ValidationFailed(DomainError):
    """Input broke a rule; `reasons` holds (field, message) pairs for the form."""

    def __init__(self, reasons: list[tuple[str, str]]):
        super().__init__(reasons)
        self.reasons = reasons


class NotAllowed(DomainError):
    """The actor may not do this (answered as 403, or 404 to hide existence)."""


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know it exists."""
