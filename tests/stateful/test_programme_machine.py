"""The points programme as a state machine: any order of steps keeps every invariant.

Activities are published, claimed, withdrawn, cancelled, confirmed and
reversed; points are redeemed, refunded, exchanged and settled, while the
clock only moves forward. A plain model (dicts of ints) runs beside the
programme and is compared after every step.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from grassroots import errors
from grassroots.ledger import ExchangeRate, Scheme
from grassroots.money import to_fen
from grassroots.programme import (
    CapPeriod,
    EarnerGroup,
    EarningCap,
    FundingPolicy,
    Merchant,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    VolunteerActivity,
    wallet_id,
)

RESIDENTS = {
    "zhang": EarnerGroup.PARTY_MEMBER,
    "liu": EarnerGroup.ORGANISATION_STAFF,
    "chen": EarnerGroup.NEW_EMPLOYMENT,
    "zhao": EarnerGroup.RESIDENT,
}
SCHEMES = ("party", "virtue")
DAILY_CAP = 50  # virtue points per resident and day
RULES = {
    "canteen": RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["virtue"]),
    "store": RedemptionRule(points_per_yuan=10, minimum_bill="5.00", schemes=["virtue", "party"]),
}
START = pendulum.datetime(2026, 11, 1, 8, tz="Asia/Shanghai")


class ProgrammeMachine(RuleBasedStateMachine):
    """Random programmes compared with a plain model after every step."""

    @initialize(seed_fund=st.integers(min_value=0, max_value=5_000))
    def setup(self, seed_fund: int) -> None:
        """Two schemes, four residents, a fund, a canteen paid by it and a split store."""
        self.now = START
        self.programme = PointsProgramme(
            administrators=["admin"],
            caps=[EarningCap(scheme="virtue", period=CapPeriod.DAY, points=DAILY_CAP)],
        )
        for code in SCHEMES:
            self.programme.add_scheme(Scheme(code=code))
        for resident, group in RESIDENTS.items():
            self.programme.register(Participant(id=resident, groups=[group]))
        self.fund = PublicRevenueFund(id="fund", subcommunity="dc")
        self.programme.add_fund(self.fund)
        if seed_fund:
            self.fund.deposit(Decimal(seed_fund) / 100, at=self.now, reference="seed")
        self.programme.add_merchant(
            Merchant(
                id="canteen",
                name="幸福食堂",
                subcommunity="dc",
                rule=RULES["canteen"],
                funding=FundingPolicy.from_fund("fund"),
            )
        )
        self.programme.add_merchant(
            Merchant(
                id="store",
                name="24小时便利店",
                subcommunity="dc",
                rule=RULES["store"],
                funding=FundingPolicy.split("fund", "1/2"),
            )
        )
        self.programme.window.set_rate(
            ExchangeRate(source="party", target="virtue", rate=Fraction(2, 3), effective=START)
        )
        # the plain model
        self.balances = {(r, s): 0 for r in RESIDENTS for s in SCHEMES}
        self.earned_per_day: dict[tuple[str, object], int] = {}
        self.fund_fen = seed_fund
        self.activities: list[VolunteerActivity] = []
        self.claims: dict[str, set[str]] = {}
        self.cancelled: set[str] = set()
        self.confirmed: dict[tuple[str, str], dict[str, int]] = {}
        self.reversed: set[tuple[str, str]] = set()
        self.receipts: list[str] = []
        self.unsettled_fen = 0  # fund parts of receipts not yet settled, net of refunds
        self.counter = 0
        # A first activity that everyone attends, so there are points to spend.
        self.publish(
            lead=60, length=60, virtue=40, party=40, capacity=4, groups=frozenset(EarnerGroup)
        )
        for resident in sorted(RESIDENTS):
            self.programme.claim("a1", resident, by=resident, at=self.now)
            self.claims["a1"].add(resident)
        self.now = self.now.add(hours=3)
        self.programme.confirm("a1", sorted(RESIDENTS), by="branch", at=self.now)
        day = self.now.date()
        for resident in RESIDENTS:
            self.balances[(resident, "virtue")] = self.balances[(resident, "party")] = 40
            self.earned_per_day[(resident, day)] = 40
            self.confirmed[("a1", resident)] = {"virtue": 40, "party": 40}

    def next_id(self, prefix: str) -> str:
        """Return a fresh id."""
        self.counter += 1
        return f"{prefix}{self.counter}"

    def snapshot(self) -> tuple[object, ...]:
        """Return what a refused command must leave unchanged."""
        return (
            len(self.programme.ledger),
            self.fund.balance_fen,
            len(self.programme.receipts),
            tuple(
                self.programme.ledger.balance(wallet_id(s, r)) for r in RESIDENTS for s in SCHEMES
            ),
        )

    # --- the clock -------------------------------------------------------------------

    @rule(minutes=st.sampled_from([1, 30, 90, 240, 24 * 60]))
    def tick(self, minutes: int) -> None:
        """Time passes."""
        self.now = self.now.add(minutes=minutes)

    # --- activities ------------------------------------------------------------------

    @rule(
        lead=st.integers(min_value=1, max_value=6 * 60),
        length=st.integers(min_value=30, max_value=240),
        virtue=st.integers(min_value=1, max_value=40),
        party=st.integers(min_value=0, max_value=40),
        capacity=st.integers(min_value=1, max_value=3),
        groups=st.frozensets(st.sampled_from(EarnerGroup), min_size=1),
    )
    def publish(
        self,
        *,
        lead: int,
        length: int,
        virtue: int,
        party: int,
        capacity: int,
        groups: frozenset[EarnerGroup],
    ) -> None:
        """The branch publishes an activity starting later."""
        start = self.now.add(minutes=lead)
        rewards = [Reward(scheme="virtue", points=virtue)]
        if party:
            rewards.append(Reward(scheme="party", points=party))
        activity = VolunteerActivity(
            id=self.next_id("a"),
            title="志愿活动",
            organiser="branch",
            place="小区",
            subcommunity="dc",
            start=start,
            end=start.add(minutes=length),
            rewards=rewards,
            capacity=capacity,
            eligible=groups,
        )
        self.programme.publish(activity, by="branch")
        self.activities.append(activity)
        self.claims[activity.id] = set()

    @precondition(lambda self: self.activities)
    @rule(data=st.data(), resident=st.sampled_from(sorted(RESIDENTS)))
    def claim(self, data: st.DataObject, resident: str) -> None:
        """A resident claims a place; the model says whether it must be taken."""
        activity = data.draw(st.sampled_from(self.activities))
        expected = (
            self.now < activity.start
            and activity.id not in self.cancelled
            and resident not in self.claims[activity.id]
            and RESIDENTS[resident] in activity.eligible
            and len(self.claims[activity.id]) < activity.capacity
        )
        before = self.snapshot()
        try:
            self.programme.claim(activity.id, resident, by=resident, at=self.now)
        except errors.GrassrootsError:
            assert not expected
            assert self.snapshot() == before
            assert self.programme.activities.claims(activity.id) == tuple(
                r for r in self.programme.activities.claims(activity.id)
            )
        else:
            assert expected
            self.claims[activity.id].add(resident)

    @precondition(lambda self: self.activities)
    @rule(data=st.data())
    def withdraw_or_cancel(self, data: st.DataObject) -> None:
        """A claimant withdraws, or the branch cancels, before the start."""
        activity = data.draw(st.sampled_from(self.activities))
        holders = sorted(self.claims[activity.id])
        open_ = self.now < activity.start and activity.id not in self.cancelled
        if holders and data.draw(st.booleans()):
            resident = data.draw(st.sampled_from(holders))
            try:
                self.programme.withdraw(activity.id, resident, by=resident, at=self.now)
            except errors.WrongStep:
                assert not open_
            else:
                assert open_
                self.claims[activity.id].discard(resident)
            return
        try:
            released = self.programme.cancel(activity.id, by="branch", at=self.now)
        except errors.WrongStep:
            assert not open_
        else:
            assert open_
            assert set(released) == self.claims[activity.id]
            self.claims[activity.id] = set()
            self.cancelled.add(activity.id)

    @precondition(lambda self: self.activities)
    @rule(data=st.data(), intruder=st.booleans())
    def confirm(self, data: st.DataObject, intruder: bool) -> None:
        """The organiser (or, refused, someone else) confirms some claimants."""
        activity = data.draw(st.sampled_from(self.activities))
        people = data.draw(st.lists(st.sampled_from(sorted(RESIDENTS)), unique=True, max_size=3))
        by = "zhang" if intruder else "branch"
        ok = (
            not intruder
            and self.now >= activity.end
            and activity.id not in self.cancelled
            and all(p in self.claims[activity.id] for p in people)
            and not any((activity.id, p) in self.reversed for p in people)
        )
        before = self.snapshot()
        try:
            self.programme.confirm(activity.id, people, by=by, at=self.now)
        except (errors.PermissionDenied, errors.WrongStep):
            assert not ok
            assert self.snapshot() == before
            return
        assert ok
        day = self.now.in_timezone("Asia/Shanghai").date()
        for resident in people:
            key = (activity.id, resident)
            if key in self.confirmed:
                continue  # idempotent: nothing more
            credited = {}
            for reward in activity.rewards:
                points = reward.points
                if reward.scheme == "virtue":
                    used = self.earned_per_day.get((resident, day), 0)
                    points = min(points, DAILY_CAP - used)
                    self.earned_per_day[(resident, day)] = used + points
                credited[reward.scheme] = points
                self.balances[(resident, reward.scheme)] += points
            self.confirmed[key] = credited
            event("confirmed")

    @precondition(lambda self: self.confirmed)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        """The organiser reverses a confirmation, if the points are still held."""
        key = data.draw(st.sampled_from(sorted(self.confirmed)))
        activity_id, resident = key
        credited = self.confirmed[key]
        before = self.snapshot()
        try:
            self.programme.reverse_confirmation(
                activity_id, resident, by="branch", at=self.now, reason="核实未参加"
            )
        except errors.GrassrootsError:
            assert key in self.reversed or any(
                self.balances[(resident, s)] < p for s, p in credited.items()
            )
            assert self.snapshot() == before
            return
        assert key not in self.reversed
        self.reversed.add(key)
        event("reversed")
        for scheme, points in credited.items():
            self.balances[(resident, scheme)] -= points
        confirmed_day = self.programme.activities.attendance(activity_id, resident)
        assert confirmed_day is not None
        assert confirmed_day.confirmed_at is not None
        day = confirmed_day.confirmed_at.in_timezone("Asia/Shanghai").date()
        self.earned_per_day[(resident, day)] -= credited.get("virtue", 0)

    # --- redemption, refunds, exchange, settlement -------------------------------------

    @rule(
        resident=st.sampled_from(sorted(RESIDENTS)),
        merchant=st.sampled_from(sorted(RULES)),
        scheme=st.sampled_from(SCHEMES),
        bill_fen=st.integers(min_value=0, max_value=3_000),
        points=st.integers(min_value=0, max_value=60),
    )
    def redeem(self, resident: str, merchant: str, scheme: str, bill_fen: int, points: int) -> None:
        """A resident offers points on a bill."""
        bill = Decimal(bill_fen) / 100
        before = self.snapshot()
        try:
            receipt = self.programme.redeem(
                id=self.next_id("b"),
                resident=resident,
                merchant=merchant,
                scheme=scheme,
                bill=bill,
                points=points,
                at=self.now,
            )
        except errors.GrassrootsError:
            assert self.snapshot() == before
            return
        rule_ = RULES[merchant]
        assert scheme in rule_.schemes
        assert bill >= rule_.minimum_bill
        assert receipt.points <= points <= self.balances[(resident, scheme)]
        discount_fen = to_fen(receipt.discount)
        assert discount_fen <= rule_.max_share * bill_fen
        assert Fraction(receipt.points) * 100 / rule_.points_per_yuan >= discount_fen
        assert Fraction(receipt.points - 1) * 100 / rule_.points_per_yuan < discount_fen
        self.balances[(resident, scheme)] -= receipt.points
        fund_fen = to_fen(receipt.fund_part)
        self.fund_fen -= fund_fen
        self.unsettled_fen += fund_fen
        self.receipts.append(receipt.id)
        event("redeemed")

    @precondition(lambda self: self.receipts)
    @rule(data=st.data(), part=st.integers(min_value=1, max_value=3_000))
    def refund(self, data: st.DataObject, part: int) -> None:
        """Part of a redeemed bill is refunded."""
        receipt_id = data.draw(st.sampled_from(self.receipts))
        receipt = self.programme.receipt(receipt_id)
        settled_before = any(
            receipt_id in line.receipts
            for settlement in self.programme.settlements
            for line in settlement.lines
        )
        before = self.snapshot()
        try:
            record = self.programme.refund(
                receipt_id, id=self.next_id("r"), at=self.now, bill=Decimal(part) / 100
            )
        except errors.WrongStep:
            assert self.snapshot() == before
            return
        self.balances[(receipt.resident, receipt.scheme)] += record.points
        event("refunded after settlement" if record.after_settlement else "refunded")
        assert record.after_settlement == settled_before
        if not settled_before:
            self.fund_fen += to_fen(record.fund)
            self.unsettled_fen -= to_fen(record.fund)
        refunds = self.programme.refunds(receipt_id)
        assert sum(r.points for r in refunds) <= receipt.points
        assert sum(r.money for r in refunds) <= receipt.payable

    @rule(resident=st.sampled_from(sorted(RESIDENTS)), points=st.integers(0, 60))
    def exchange(self, resident: str, points: int) -> None:
        """Party points are converted into virtue points at 2/3."""
        before = self.snapshot()
        try:
            receipt = self.programme.exchange(
                id=self.next_id("x"),
                resident=resident,
                source="party",
                target="virtue",
                points=points,
                at=self.now,
            )
        except errors.InsufficientPoints:
            assert self.snapshot() == before
            assert points * 2 // 3 == 0 or points > self.balances[(resident, "party")]
            return
        assert receipt.received == points * 2 // 3
        assert receipt.spent <= points
        self.balances[(resident, "party")] -= receipt.spent
        self.balances[(resident, "virtue")] += receipt.received
        event("exchanged")

    @rule()
    def settle(self) -> None:
        """Everything redeemed up to now is settled."""
        claims = sum(to_fen(v) for v in self.programme.pending_claims().values())
        settlement = self.programme.settle(START, self.now.add(seconds=1), at=self.now)
        fund_owes = sum(to_fen(line.fund_owes) for line in settlement.lines)
        assert fund_owes == self.unsettled_fen
        assert sum(to_fen(line.merchant_owes) for line in settlement.lines) == claims
        for line in settlement.lines:
            assert line.fund_owes + line.merchant_absorbs == line.discounts
            expected = 0
            for receipt_id in line.receipts:
                receipt = self.programme.receipt(receipt_id)
                expected += receipt.points - sum(
                    r.points for r in self.programme.refunds(receipt_id)
                )
            assert line.points == expected
        self.fund_fen += claims
        self.unsettled_fen = 0

    # --- invariants ------------------------------------------------------------------

    @invariant()
    def balances_match_the_model(self) -> None:
        """Every wallet holds what the model says."""
        if not hasattr(self, "programme"):
            return
        for (resident, scheme), points in self.balances.items():
            assert self.programme.ledger.balance(wallet_id(scheme, resident)) == points >= 0

    @invariant()
    def conservation_per_scheme(self) -> None:
        """Each scheme's balances sum to zero and its totals add up, exchange included."""
        if not hasattr(self, "programme"):
            return
        ledger = self.programme.ledger
        assert set(ledger.trial_balance().values()) <= {0}
        for code in SCHEMES:
            t = ledger.totals(code)
            assert t.outstanding == (
                t.issued + t.adjusted + t.exchanged_in - t.redeemed - t.expired - t.exchanged_out
            )

    @invariant()
    def caps_never_exceeded(self) -> None:
        """No resident earned more than the daily cap of virtue points on any day."""
        if hasattr(self, "programme"):
            assert all(points <= DAILY_CAP for points in self.earned_per_day.values())

    @invariant()
    def fund_never_negative_and_as_modelled(self) -> None:
        """The fund holds what the model says, and never less than nothing."""
        if hasattr(self, "programme"):
            assert self.fund.balance_fen == self.fund_fen >= 0

    @invariant()
    def audit_is_clean(self) -> None:
        """Every redemption went through redeem and reconciles with the ledger."""
        if hasattr(self, "programme"):
            assert self.programme.audit() == ()


ProgrammeMachine.TestCase.settings = settings(
    ProgrammeMachine.TestCase.settings, stateful_step_count=30
)
TestProgrammeMachine = ProgrammeMachine.TestCase
