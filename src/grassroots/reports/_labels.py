"""Every label a report prints, in Chinese and in English: one table (private).

Keys are plain words; the names of enum members are ``"<enum>.<value>"``
(``"step.dividend"``, ``"stage.recorded"``), so a test can check that every
member of every enum a report shows has a label in both languages.
"""

from __future__ import annotations

from typing import Final, Literal

Lang = Literal["zh", "en"]

LANGUAGES: Final = ("zh", "en")
"""The languages of a report; Chinese first, the default (the users are Chinese)."""

LABELS: Final[dict[str, tuple[str, str]]] = {
    # the report and its period
    "year_report": ("年度报告", "annual report"),
    "period": ("期间", "period"),
    "no_period": ("未指定期间", "no period given"),
    "absent": ("本情景无此项数据", "not part of this scenario"),
    "none_in_period": ("期间内无记录", "nothing recorded in the period"),
    "kind": ("类型", "kind"),
    "count": ("数量", "count"),
    "total": ("合计", "total"),
    "yuan": ("元", "yuan"),
    "points_unit": ("分", "points"),
    # coverage
    "coverage": ("小区党组织覆盖", "coverage of compounds by party branches"),
    "branches": ("党支部", "party branches"),
    "subcommunities": ("小区", "compounds"),
    "covered": ("由一个党支部覆盖", "covered by exactly one branch"),
    "uncovered": ("未覆盖", "not covered"),
    "doubly_covered": ("重复覆盖", "covered twice or more"),
    "outside": ("覆盖县外小区", "coverage outside the county"),
    "complete": ("全覆盖", "full coverage"),
    "incomplete": ("未实现全覆盖", "coverage not complete"),
    "secretary_source": ("书记来源", "where secretaries come from"),
    "secretaries": ("书记人数", "secretaries"),
    # rooms
    "rooms": ("小区公共服务用房", "public-service rooms"),
    "status": ("状态", "status"),
    "room_count": ("处数", "rooms"),
    "area": ("面积(平方米)", "area (m²)"),
    "handed_over_or_beyond": ("已移交(含使用、退出)", "handed over (in use, released included)"),
    # venture and allocation
    "ventures": ("合资公司经营与利润分配", "venture results and allocations"),
    "venture": ("合资公司", "joint venture"),
    "state_share": ("国有股比例", "state share"),
    "project": ("项目", "project"),
    "subcommunity": ("小区", "compound"),
    "net_profit": ("净利润(元)", "net profit (yuan)"),
    "public_revenue": ("小区公共收益(元)", "public revenue (yuan)"),
    "public_revenue_by_compound": ("各小区公共收益", "public revenue of each compound"),
    "other_profit": ("项目外损益", "profit outside the projects"),
    "profit": ("利润", "profit"),
    "venture_profit": ("公司净利润", "venture net profit"),
    "shareholder": ("股东", "shareholder"),
    "dividends": ("股东分红(元)", "dividends (yuan)"),
    "reserves": ("公积金(元)", "reserves (yuan)"),
    "closing_loss": ("未弥补亏损(元)", "loss carried (yuan)"),
    "allocation": ("利润分配", "profit allocation"),
    "step": ("步骤", "step"),
    "recipient": ("去向", "recipient"),
    "base": ("基数", "base"),
    "rate": ("比例", "rate"),
    "amount": ("金额(元)", "amount (yuan)"),
    "rule": ("依据", "rule"),
    "no_periods": ("无分配期间", "no periods allocated"),
    # points
    "points": ("积分发放与兑换", "points issued and redeemed"),
    "scheme": ("积分方案", "scheme"),
    "issued": ("发放", "issued"),
    "redeemed": ("兑换", "redeemed"),
    "expired": ("过期", "expired"),
    "outstanding": ("余额", "outstanding"),
    "exchanged_in": ("转入", "exchanged in"),
    "exchanged_out": ("转出", "exchanged out"),
    "adjusted": ("调整", "adjusted"),
    # funds and settlements
    "funds": ("公共收益资金与结算", "funds and settlements"),
    "fund": ("资金", "fund"),
    "deposited": ("存入(元)", "paid in (yuan)"),
    "discounts": ("抵扣(元)", "discounts (yuan)"),
    "returned": ("退回(元)", "given back (yuan)"),
    "balance": ("余额(元)", "balance (yuan)"),
    "settlements": ("结算", "settlements"),
    "settlement_period": ("结算期间", "settled period"),
    "merchants": ("商户", "merchants"),
    "receipts": ("兑换单", "receipts"),
    "points_settled": ("积分", "points"),
    "fund_owes": ("资金支付(元)", "paid by funds (yuan)"),
    "merchant_absorbs": ("商户让利(元)", "absorbed by merchants (yuan)"),
    "merchant_owes": ("商户退还(元)", "owed by merchants (yuan)"),
    "no_funds": ("无公共收益资金", "no public-revenue funds"),
    "no_settlements": ("期间内无结算", "no settlements in the period"),
    # suggestions
    "suggestions": ("居民建议办理", "suggestions by stage"),
    "recorded": ("收集建议", "suggestions recorded"),
    "stage": ("阶段", "stage"),
    "outcome": ("结果", "outcome"),
    "settled_in_compound_share": (
        "采纳建议中小区内解决的比例",
        "share of adopted suggestions settled in the compound",
    ),
    # meetings
    "meetings": ("议事协商会议", "consultation meetings held"),
    "series": ("会议", "series"),
    "held": ("已召开", "held"),
    "scheduled": ("应召开", "scheduled"),
    # mailbox
    "mailbox": ("微愿留言", "wish mailbox"),
    "received": ("收到留言", "messages received"),
    "answered": ("已答复", "answered"),
    "answered_on_time": ("按时答复", "answered on time"),
    "on_time_share": ("按时答复率", "share answered on time"),
    "overdue": ("逾期未答复", "overdue, unanswered"),
    "median_answer": ("答复用时中位数", "median time to answer"),
    "hours": ("小时", "hours"),
    "as_of": ("截至", "as of"),
    # charts
    "chart_waterfall": ("利润去向", "where the profit went"),
    "chart_points": ("积分流转", "points flows"),
    "chart_waterfall_desc": (
        "各项目净利润累计为公司净利润，再依次流向小区公共收益、公积金和股东",
        (
            "each project's net profit adds up to the venture's, which then flows to the"
            " compounds' public revenue, the reserves and the shareholders"
        ),
    ),
    "chart_points_desc": (
        "每个积分方案发放、兑换、过期的积分和余额",
        "points issued, redeemed and expired, and points outstanding, in each scheme",
    ),
    # secretary sources (grassroots.branch.SecretarySource)
    "source.town_street_staff": ("乡镇（街道）在编在岗人员", "town or street staff"),
    "source.community_worker": ("社区专职工作者", "full-time community workers"),
    "source.veteran_public_welfare": ("退役军人公益性岗位人员", "veterans in public-welfare posts"),
    "source.other": ("其他", "other"),
    # room status (grassroots.room.RoomStatus)
    "room.found": ("摸底发现", "found"),
    "room.verified": ("研判核实", "verified"),
    "room.cleared": ("已清理", "cleared"),
    "room.handed_over": ("已移交", "handed over"),
    "room.in_use": ("项目使用", "in use by a project"),
    "room.released": ("已退出", "released"),
    # allocation steps (grassroots.allocation.Step)
    "step.community_share": ("小区公共收益", "community share"),
    "step.loss_absorbed": ("未分配利润弥补亏损", "loss absorbed by retained profit"),
    "step.loss_carried": ("亏损结转", "loss carried forward"),
    "step.loss_covered": ("弥补以前年度亏损", "earlier losses covered"),
    "step.reserve_covers_loss": ("公积金弥补亏损", "reserve covers loss"),
    "step.statutory_reserve": ("法定公积金", "statutory reserve"),
    "step.discretionary_reserve": ("任意公积金", "discretionary reserve"),
    "step.dividend": ("股东分红", "dividend"),
    "step.retained": ("未分配利润", "retained profit"),
    # pipeline stages (grassroots.deliberation.Stage)
    "stage.recorded": ("已收集", "recorded"),
    "stage.shortlisted": ("代表商议入选", "shortlisted"),
    "stage.merged": ("已合并", "merged"),
    "stage.declined": ("未入选", "declined"),
    "stage.returned": ("退回补充", "returned"),
    "stage.approved": ("党组织审核通过", "approved"),
    "stage.rejected": ("审核未通过", "rejected"),
    "stage.adopted": ("已采纳", "adopted"),
    "stage.not_adopted": ("表决未通过", "not adopted"),
    "stage.in_progress": ("实施中", "in progress"),
    "stage.done": ("已办结", "done"),
    # outcomes (grassroots.deliberation.Outcome)
    "outcome.pending": ("办理中", "pending"),
    "outcome.settled_in_compound": ("小区内解决", "settled in the compound"),
    "outcome.adopted_by_assembly": ("居民会议采纳", "adopted by the residents' meeting"),
    "outcome.not_adopted": ("居民会议未采纳", "not adopted"),
    "outcome.declined": ("未入选", "declined"),
    "outcome.merged": ("已合并", "merged"),
    "outcome.rejected": ("审核未通过", "rejected"),
    # meeting series (grassroots.deliberation.SeriesKind)
    "series.afternoon_tea": ("书记下午茶", "secretary's afternoon tea"),
    "series.open_air": ("坝坝会", "open-air meeting"),
    "series.evening_talk": ("龙居夜话", "evening talk"),
    "series.other": ("议事协商会", "consultation meeting"),
}
"""Every label: ``key -> (Chinese, English)``."""

ENUM_PREFIXES: Final = {
    "source": "grassroots.branch.SecretarySource",
    "room": "grassroots.room.RoomStatus",
    "step": "grassroots.allocation.Step",
    "stage": "grassroots.deliberation.Stage",
    "outcome": "grassroots.deliberation.Outcome",
    "series": "grassroots.deliberation.SeriesKind",
}
"""The enums whose members have labels, by the prefix of their keys."""


def label(key: str, lang: Lang) -> str:
    """Return the label ``key`` in ``lang``.

    Raises:
        KeyError: there is no such label.
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    zh, en = LABELS[key]
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    raise ValueError(f"language {lang!r} is not one of {LANGUAGES}")


def check_lang(lang: object) -> Lang:
    """Return ``lang`` if it is a language of the reports.

    Raises:
        ValueError: it is not ``"zh"`` or ``"en"``.
    """
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise ValueError(f"language {lang!r} is not one of {LANGUAGES}")
