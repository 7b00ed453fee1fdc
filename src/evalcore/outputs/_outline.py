"""The outline of a unit's self-evaluation report, by framework kind: the headings the data
template asks text for and the report writers fill."""

from __future__ import annotations

__all__ = ["REPORT_HEADINGS", "REPORT_TAIL"]

# The headings of the report outlines (the Hunan reports of seeds 000, 001 and 003; the Sichuan
# 单位决算 summary of seed 004), by framework kind; report formatters fill sections from these.
REPORT_TAIL = ("存在的问题及原因分析", "下一步改进措施", "其他需要说明的情况", "填报人", "单位负责人")
REPORT_HEADINGS = {
    "dept": ("机构设置情况", "人员编制情况", "主要职能职责", "绩效目标设定情况", "部门预决算情况", "部门预算执行情况") + REPORT_TAIL,
    "project": ("项目概况", "项目绩效目标", "项目资金到位及使用情况", "项目资金管理情况") + REPORT_TAIL,
    "project-targets": ("项目概况", "项目绩效目标", "项目资金到位及使用情况", "项目资金管理情况", "完成情况综述") + REPORT_TAIL,
}
