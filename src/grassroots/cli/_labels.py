"""Every label the command prints, in Chinese and in English."""

from __future__ import annotations

from typing import Final, Literal

Lang = Literal["zh", "en"]

LANGUAGES: Final = ("zh", "en")
"""The languages of the output; Chinese first, the default (the users are Chinese)."""

_LABELS: Final[dict[str, tuple[str, str]]] = {
    "period": ("期间", "period"),
    "step": ("步骤", "step"),
    "recipient": ("去向", "recipient"),
    "project": ("项目", "project"),
    "base": ("基数", "base"),
    "rate": ("比例", "rate"),
    "amount": ("金额(元)", "amount (yuan)"),
    "rule": ("依据", "rule"),
    "profit": ("利润", "profit"),
    "allocation": ("利润分配", "profit allocation"),
    "total": ("合计", "total"),
    "ledger_ok": ("账本完好", "ledger is sound"),
    "ledger_problem": ("账本有问题", "ledger has a problem"),
    "entries": ("条记录", "entries"),
    "head": ("链头", "head"),
    "more_problems": ("另有问题", "more problems"),
    "scenario": ("情景", "scenario"),
    "county": ("县", "county"),
    "streets": ("街道", "streets"),
    "communities": ("社区", "communities"),
    "subcommunities": ("小区", "subcommunities"),
    "buildings": ("楼栋", "buildings"),
    "units": ("单元", "units"),
    "branches": ("党支部", "party branches"),
    "covered": ("已覆盖小区", "subcommunities covered"),
    "uncovered": ("未覆盖小区", "subcommunities not covered"),
    "rooms": ("公共服务用房", "public-service rooms"),
    "area": ("面积(平方米)", "area (m²)"),
    "venture": ("合资公司", "joint venture"),
    "state_share": ("国有股比例", "state share"),
    "projects": ("项目", "projects"),
    "shareholders": ("股东", "shareholders"),
    "status": ("状态", "status"),
    "count": ("数量", "count"),
    "kind": ("类型", "kind"),
}

_STEPS_EN: Final = {
    "community_share": "community share",
    "loss_absorbed": "loss absorbed by retained profit",
    "loss_carried": "loss carried forward",
    "loss_covered": "earlier losses covered",
    "reserve_covers_loss": "reserve covers loss",
    "statutory_reserve": "statutory reserve",
    "discretionary_reserve": "discretionary reserve",
    "dividend": "dividend",
    "retained": "retained profit",
}


def label(key: str, lang: Lang) -> str:
    """Return the label ``key`` in ``lang``."""
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def step_label(value: str, term: str, lang: Lang) -> str:
    """Return an allocation step's name: its Chinese term, or its English name."""
    return term if lang == "zh" else _STEPS_EN[value]


def all_labels() -> dict[str, tuple[str, str]]:
    """Return every label as ``key -> (Chinese, English)``."""
    return dict(_LABELS)


def all_steps_en() -> dict[str, str]:
    """Return the English name of every allocation step, by its value."""
    return dict(_STEPS_EN)
