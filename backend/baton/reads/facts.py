"""Per-request facts: a rule's answer worked out once per request and shared by every field
that needs it, so a resolver is one call and one answer reads the same day throughout."""

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime

from baton.db.models import ChecklistSignature, Order, Promise, Store
from baton.domain.access import Action, Actor, Subject
from baton.domain.cars.policy import Policy, store_policy
from baton.domain.promises import still_owed
from baton.domain.signatures import signature_of_current_version
from baton.domain.stores import StoreClock, clock_of
from baton.reads.loaders import Loaders


@dataclass
class Facts:
    loaders: Loaders
    default_time_zone: str
    now: Callable[[], datetime]
    actor: Callable[[], Awaitable[Actor]]
    home_store: Callable[[], Store | None]
    turn: Callable[[], AbstractAsyncContextManager[None]]
    _today: dict[int | None, date] = field(default_factory=dict, init=False)
    # A store's car policy, read once: the week view primes it, a booking's viewerCan reads it.
    car_policies: dict[int, Policy] = field(default_factory=dict, init=False)

    def store_clock(self, store: Store | None) -> StoreClock:
        """A store's clock; without a store, this server's BATON_DEFAULT_TIME_ZONE."""
        return clock_of(store, self.default_time_zone)

    def home_clock(self) -> StoreClock:
        """The clock of the actor's own store (the default zone for staff without one)."""
        return self.store_clock(self.home_store())

    async def clock_of_store(self, store_id: int | None) -> StoreClock:
        store = await self.loaders.store.load(store_id) if store_id is not None else None
        return self.store_clock(store)

    async def today_in(self, store_id: int | None) -> date:
        """Today in a store (None: the default zone), worked out once per request."""
        found = self._today.get(store_id)
        if found is None:
            found = (await self.clock_of_store(store_id)).today(self.now())
            self._today[store_id] = found
        return found

    async def car_policy(self, store_id: int) -> Policy:
        found = self.car_policies.get(store_id)
        if found is None:
            async with self.turn():
                found = await store_policy(self.loaders.session, store_id)
            self.car_policies[store_id] = found
        return found

    async def owed_promises(self, customer_id: int) -> list[Promise]:
        """A customer's promises still owed today in their store (entitlements with uses
        left included): what a service advisor sees at check-in."""
        customer = await self.loaders.customer.load(customer_id)
        assert customer is not None  # read below a customer the viewer sees
        today = await self.today_in(customer.store_id)
        found = await self.loaders.promises_of_customer.load(customer_id)
        return [p for p in found if still_owed(p, today)]

    async def current_signature(self, order: Order) -> ChecklistSignature | None:
        signed: Sequence[ChecklistSignature] = await self.loaders.signatures_of_order.load(order.id)
        return signature_of_current_version(order, signed)

    async def viewer_can(self, kind: str, subject: Subject) -> list[Action]:
        """The actions on an object of `kind` that the viewer may take (who may; whether the
        object's state admits it is the object's own fields)."""
        return (await self.actor()).abilities(subject, kind)
