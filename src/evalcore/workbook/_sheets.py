"""The data template's layout: its sheets and the titles of their columns, by name. Readers and
the writer address columns through these, never by bare position."""

from __future__ import annotations

from ..model import InputSpec

__all__ = [
    "ENTRY_COLUMNS",
    "GUIDE_SHEET",
    "HEAD_SHEET",
    "INDICATOR_COLUMN",
    "INDICATOR_COLUMNS",
    "INDICATOR_SHEET",
    "INPUT_COLUMN",
    "INPUT_COLUMNS",
    "INPUT_SHEET",
    "MULTI_SHEET",
    "REPORT_SHEET",
    "template_example",
]

HEAD_SHEET = "单位信息"
INPUT_SHEET = "基础数据"
INDICATOR_SHEET = "指标"
GUIDE_SHEET = "填写说明"
REPORT_SHEET = "报告文字"
INDICATOR_COLUMNS = ["指标编号", "指标", "分值", "计分方式", "评价要点/评分标准", "是否满足", "不符合例数", "评定得分", "评定理由", "自评得分", "审核得分", "不适用", "填报值"]
# The column of each title on the 指标 sheet, from 0.
INDICATOR_COLUMN = {title: index for index, title in enumerate(INDICATOR_COLUMNS)}
INPUT_COLUMNS = ["名称", "说明", "单位", "填写值", "示例", "是否必填"]
# The column of each title on the 基础数据 sheet, from 0.
INPUT_COLUMN = {title: index for index, title in enumerate(INPUT_COLUMNS)}
MULTI_SHEET = "多单位"

# The column each entry field is typed in, as errors name it.
ENTRY_COLUMNS = {"score": "评定得分", "reason": "评定理由", "self": "自评得分", "review": "审核得分", "not_applicable": "不适用", "cases": "不符合例数", "stated": "填报值"}


def template_example(spec: InputSpec) -> str:
    """How a value of this input may be typed, shown beside it in the template."""
    return spec.example or {"money": f"3.5{spec.unit or ''}", "percent": "95%", "count": "21", "bool": "是", "text": "文字"}.get(spec.type, "100")
