"""A plugin whose import fails."""

raise RuntimeError("evalcore_faulty.import_error 导入时出错")
