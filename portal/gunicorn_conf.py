"""gunicorn's settings (`gunicorn --config python:portal.gunicorn_conf`): its log lines in the
format of every other Samsök process (portal.log_format), one line per event, UTC with offset.

No access log: it would keep patrons' searches (query strings).
"""

from portal.log_format import LINE

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "portal.log_format.UtcIsoFormatter", "fmt": LINE}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
