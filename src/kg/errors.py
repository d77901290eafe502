"""One exception tree for diplo-kg.

Each class carries the HTTP status the web layer answers with and the exit code the CLI ends
with, so both map errors in one place (web/errors.py, cli.py) and never guess.
"""

from __future__ import annotations

# The CLI's exit codes, as `kg --help` prints them.
EXIT_CODES = """Exit codes: 0 ok, 1 unexpected error, 2 usage error, 3 bad input (unreadable
source, malformed data file, dataset not built), 4 validation failed, 5 query error,
6 limit exceeded, 7 built without the documents whose extraction failed (named on stderr and
in the build report)."""


class KGError(Exception):
    """Root of every error diplo-kg raises on purpose."""

    http_status = 500
    exit_code = 1
    title = "Internal error"


class InputError(KGError):
    """Input the user gave us cannot be used (a file, a setting, a pattern)."""

    http_status = 400
    exit_code = 3
    title = "Bad input"


class SourceError(InputError):
    """A source text cannot be read: not UTF-8, empty, binary or missing."""

    title = "Unreadable source"


class DataFileError(InputError):
    """A curated data file (gazetteer, pattern, metadata, ontology) is malformed."""

    title = "Malformed data file"


class NotBuiltError(InputError):
    """The dataset file does not exist yet."""

    http_status = 503
    title = "Dataset not built"


class ValidationFailed(KGError):
    """SHACL validation found violations."""

    http_status = 422
    exit_code = 4
    title = "Validation failed"


class QueryError(KGError):
    """A SPARQL query is wrong."""

    http_status = 400
    exit_code = 5
    title = "Query error"


class QuerySyntaxError(QueryError):
    """The SPARQL parser rejected the query; the message carries its position."""

    title = "Malformed query"

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message, line, column)
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownEngine(InputError):
    """A reasoning engine name that no engine is registered under."""


class ProtocolError(InputError):
    """A request the SPARQL 1.1 Protocol does not allow (two queries, bad encoding …)."""

    title = "Bad request"


class RdfSyntaxError(InputError):
    """An RDF request body (Graph Store Protocol) the parser rejected; says what it reported."""

    title = "Malformed RDF"


class NotFound(KGError):
    """The graph or resource asked for does not exist."""

    http_status = 404
    exit_code = 3
    title = "Not found"


class NotAcceptable(KGError):
    """No format the client accepts can carry this result."""

    http_status = 406
    exit_code = 2
    title = "Not acceptable"


class UnsupportedMediaType(KGError):
    """The request body's media type is not one this operation reads."""

    http_status = 415
    exit_code = 2
    title = "Unsupported media type"


class Forbidden(KGError):
    """The operation is switched off or the caller lacks the right (update, SERVICE, LOAD)."""

    http_status = 403
    exit_code = 3
    title = "Forbidden"


class NotSupported(KGError):
    """A valid request this store cannot carry out (LOAD on the memory store)."""

    http_status = 501
    exit_code = 5
    title = "Not implemented"


class Unauthorized(KGError):
    """A write without the bearer token given at start-up."""

    http_status = 401
    exit_code = 3
    title = "Unauthorized"


class LimitExceeded(KGError):
    """A configured limit (time, workers) was hit; the message names the setting."""

    http_status = 503
    exit_code = 6
    title = "Limit exceeded"

    def __init__(self, message: str, setting: str):
        super().__init__(message, setting)
        self.setting = setting

    def __str__(self) -> str:
        return str(self.args[0])


class PayloadTooLarge(LimitExceeded):
    """A request body over max_request_bytes."""

    http_status = 413


class UriTooLong(LimitExceeded):
    """A query string over max_request_bytes."""

    http_status = 414


class WorkersBusy(LimitExceeded):
    """A request whose time limit ran out while it waited for a worker (it never ran)."""


class TooManyRequests(LimitExceeded):
    """A client over client_max_queries requests at once, whose turn did not come in time."""

    http_status = 429
    title = "Too many requests"


class StoreUnavailable(LimitExceeded):
    """The remote SPARQL store (setting store) refused the connection, failed, or is down."""


class StoreTimeout(LimitExceeded):
    """The remote SPARQL store did not answer within the time limit (query_timeout_ms): a
    503, as a query over its limit on any other store."""


class ReasoningBudgetExceeded(LimitExceeded):
    """The closure ran over its time or size budget and was stopped; nothing was kept."""


class DocumentsFailed(KGError):
    """The build wrote the dataset without some documents, whose extraction raised: the rest
    of the corpus is kept, and the exit code says that something is missing."""

    exit_code = 7
    title = "Documents left out"


class WorkerCrashed(KGError):
    """A query worker died or failed unexpectedly (a logged 500)."""
