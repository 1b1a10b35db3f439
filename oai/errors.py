"""The eight error conditions of OAI-PMH 2.0 (section 3.6), raised anywhere and answered once."""

from harvest.protocols.oai_response import ERROR_CODES


class OaiError(Exception):
    """One protocol error: ``code`` is the protocol's name for it, the message says why."""

    CODES = frozenset(ERROR_CODES)

    def __init__(self, code: str, message: str) -> None:
        assert code in self.CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
