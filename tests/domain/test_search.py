"""Search by what people say at the desk: name fragment, phone suffix, VIN suffix, plate."""

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.domain.errors import ValidationFailed
from baton.domain.search import search_customers
from tests.conftest import AsUser
from tests.support.records import Record

MakeCustomer = Callable[..., Awaitable[Record]]
VIN = "1M8GDM9AXKP042788"


async def _names(db: AsyncSession, as_user: AsUser, text: str, store: str = "A") -> list[str]:
    actor = await as_user("service_advisor", store=store)
    page = await search_customers(db, actor, text, first=20, after_id=None)
    return [c.name for c in page.customers]


@pytest.fixture
async def desk(make_customer: MakeCustomer) -> None:
    await make_customer(name="张伟", phone="13812340417", vin=VIN, plate="沪A·D12345")
    await make_customer(name="李娜", phone="13900000417")
    await make_customer(name="张小凡", phone="13700009999")
    await make_customer(store="B", name="张三", phone="13600000417")


@pytest.mark.usefixtures("desk")
@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("张", ["张伟", "张小凡"]),
        ("小凡", ["张小凡"]),
        ("伟", ["张伟"]),
        ("张小凡", ["张小凡"]),
        ("小", []),
        ("0417", ["张伟", "李娜"]),
        ("340417", ["张伟"]),
        ("138 1234 0417", ["张伟"]),
        ("KP042788", ["张伟"]),
        ("kp042788", ["张伟"]),
        ("沪AD12345", ["张伟"]),
        ("D12345", ["张伟"]),
        ("d 12345", ["张伟"]),
        ("9999", ["张小凡"]),
        ("王", []),
        ("%", []),
    ],
)
async def test_search_finds_by_each_kind_of_fragment_in_own_store_only(
    db: AsyncSession, as_user: AsUser, text: str, names: list[str]
) -> None:
    assert await _names(db, as_user, text) == names


@pytest.mark.usefixtures("desk")
async def test_fewer_than_four_phone_digits_do_not_match_phones(
    db: AsyncSession, as_user: AsUser
) -> None:
    assert await _names(db, as_user, "417") == []


@pytest.mark.usefixtures("desk")
async def test_regional_director_searches_every_store_of_the_region(
    db: AsyncSession, as_user: AsUser
) -> None:
    director = await as_user("regional_director", store=None)
    page = await search_customers(db, director, "张", first=20, after_id=None)
    assert sorted(c.name for c in page.customers) == ["张三", "张伟", "张小凡"]


async def test_search_pages_with_after_id(
    db: AsyncSession, as_user: AsUser, make_customer: MakeCustomer
) -> None:
    for n in range(5):
        await make_customer(name=f"周{n}")
    actor = await as_user("service_advisor")
    first = await search_customers(db, actor, "周", first=3, after_id=None)
    assert first.has_next and len(first.customers) == 3
    rest = await search_customers(db, actor, "周", first=3, after_id=first.customers[-1].id)
    assert not rest.has_next
    assert [c.name for c in first.customers + list(rest.customers)] == [f"周{n}" for n in range(5)]


@pytest.mark.parametrize(("text", "first"), [("", 20), ("   ", 20), ("x" * 65, 20), ("张", 0)])
async def test_bad_search_input_is_a_field_error(
    db: AsyncSession, as_user: AsUser, text: str, first: int
) -> None:
    actor = await as_user("service_advisor")
    with pytest.raises(ValidationFailed):
        await search_customers(db, actor, text, first=first, after_id=None)
