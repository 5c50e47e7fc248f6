"""`ratsinfo oparl-validate URL`: a conformance check of any OParl 1.1 server (spec and official schema)."""

from ratsinfo.oparl.validate.crawl import ValidateOptions, ValidationAborted, validate_server
from ratsinfo.oparl.validate.fetch import FetchConfig
from ratsinfo.oparl.validate.rules import RULES, Report
from ratsinfo.oparl.validate.schema import SchemaMissing

__all__ = ["RULES", "FetchConfig", "Report", "SchemaMissing", "ValidateOptions", "ValidationAborted",
           "validate_server"]
