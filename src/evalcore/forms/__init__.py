"""Values as officers type them: quantities with units ("3.5万元", "95%"), yes/no words, target and
actual texts of project target forms ("≥95%", "1--1.2万人", "2020年全年"), and one input's value
read against its declaration.

It imports evalcore.model only.
"""

from typing import TYPE_CHECKING

from ..model import lazy_names
from ._input_value import InputReading, input_hint, read_input_value
from ._words import yes_no_word

if TYPE_CHECKING:
    from ._targets import DIRECTION_WORDS, TargetError, parse_actual, parse_target

# A project target form's texts are read only for the frameworks that have one.
__getattr__ = lazy_names(__name__, dict.fromkeys(("DIRECTION_WORDS", "TargetError", "parse_actual", "parse_target"), "._targets"))

__all__ = ["DIRECTION_WORDS", "InputReading", "TargetError", "input_hint", "parse_actual", "parse_target", "read_input_value", "yes_no_word"]
