"""The programme's initiative records: load, validate, filter, count, export.

Plain Python and pandas only; nothing here knows about Streamlit.
"""

from initiatives.problems import Problem, RecordsError
from initiatives.query import Filters, apply_filters, count_by, headline, search_text
from initiatives.records import DEFAULT_RECORDS, Records, load_records

__all__ = [
    "DEFAULT_RECORDS", "Filters", "Problem", "Records", "RecordsError", "apply_filters",
    "count_by", "headline", "load_records", "search_text",
]
