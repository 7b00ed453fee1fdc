"""Files into the model: TOML rulesets into frameworks (with the frameworks they extend), a unit's
data file (TOML or JSON; which kinds of file are data files at all) into UnitData, target-form tables into FormSpec and FormData.

It is given the rule kinds and a resolver for `extends`; it imports evalcore.forms and model,
never the plugin system, and none of rich, click, openpyxl or python-docx.
"""

from typing import TYPE_CHECKING

from ..model import lazy_names
from ._data import DataFile, data_from_mapping, load_data, loads_data, read_data_file, unit_data
from ._extends import FRAMEWORK_KEYS, Resolver
from ._framework import RuleKinds, parse_framework, read_framework
from ._json import load_json
from ._kinds import DATA_SUFFIXES, WORKBOOK_SUFFIXES, data_kind
from ._read import ENCODING_WORDS, decode_text, read_limited, refuse_special
from ._shape import mb_needed, megabytes, too_large
from ._toml import load_toml, loads_toml

if TYPE_CHECKING:
    from ._form import read_form_data, read_form_spec

# A project target form is read only for the frameworks that have one.
__getattr__ = lazy_names(__name__, dict.fromkeys(("read_form_data", "read_form_spec"), "._form"))

__all__ = [
    "DATA_SUFFIXES",
    "ENCODING_WORDS",
    "FRAMEWORK_KEYS",
    "WORKBOOK_SUFFIXES",
    "DataFile",
    "Resolver",
    "RuleKinds",
    "data_from_mapping",
    "data_kind",
    "decode_text",
    "load_data",
    "load_json",
    "load_toml",
    "loads_data",
    "loads_toml",
    "mb_needed",
    "megabytes",
    "parse_framework",
    "read_data_file",
    "read_form_data",
    "read_form_spec",
    "read_framework",
    "read_limited",
    "refuse_special",
    "too_large",
    "unit_data",
]
