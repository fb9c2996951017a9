"""Evidence photos: POST /uploads takes a photo's bytes, checked by size and by content."""

from pathlib import Path

import pytest
from sqlalchemy import text

from baton.settings import Settings
from tests.support.api import ApiClient

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


async def test_a_photo_is_stored_on_disk_and_served_back_to_its_store(
    api: ApiClient, upload_dir: Path
) -> None:
    await api.login_as("delivery_specialist")
    created = await api.http.post("/uploads", content=JPEG, headers={"content-type": "image/jpeg"})
    assert created.status_code == 201
    photo_id = created.json()["id"]
    assert [p.read_bytes() for p in upload_dir.iterdir()] == [JPEG]
    await api.login_as("service_advisor")
    shown = await api.http.get(f"/uploads/{photo_id}")
    assert shown.status_code == 200 and shown.content == JPEG
    assert shown.headers["content-type"] == "image/jpeg"
    await api.login_as("service_advisor", store="B")
    assert (await api.http.get(f"/uploads/{photo_id}")).status_code == 404


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("image/png", JPEG, 415),
        ("application/pdf", b"%PDF-1.4", 415),
        ("image/png", b"", 400),
        ("image/png", PNG + b"\x00" * 2048, 413),
    ],
)
async def test_wrong_or_oversize_photos_are_refused_and_nothing_is_stored(
    api: ApiClient, upload_dir: Path, content_type: str, body: bytes, status: int
) -> None:
    await api.login_as("delivery_specialist")
    response = await api.http.post("/uploads", content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert response.json()["fields"][0]["path"] == "body"
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


async def test_uploading_needs_a_session(api: ApiClient) -> None:
    response = await api.http.post("/uploads", content=PNG, headers={"content-type": "image/png"})
    assert response.status_code == 401


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"upload_max_bytes": 2048})


@pytest.fixture
def upload_dir(settings: Settings) -> Path:
    return settings.upload_dir


# The test database outlives a test on PostgreSQL: the refusal is taken away again.
ALLOW_UPLOADS = {
    "sqlite": ["DROP TRIGGER refuse_uploads"],
    "postgresql": [
        "DROP TRIGGER refuse_uploads ON uploads",
        "DROP FUNCTION refuse_uploads()",
    ],
}
REFUSE_UPLOADS = {
    "sqlite": [
        "CREATE TRIGGER refuse_uploads BEFORE INSERT ON uploads "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_uploads() RETURNS trigger AS "
        "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_uploads BEFORE INSERT ON uploads "
        "FOR EACH ROW EXECUTE FUNCTION refuse_uploads()",
    ],
}


async def test_a_photo_whose_row_cannot_be_stored_leaves_no_file_behind(
    api: ApiClient, upload_dir: Path
) -> None:
    await api.login_as("delivery_specialist")
    # The database itself refuses the row, as a full disk or a lost connection would.
    dialect = api.session.get_bind().dialect.name
    for statement in REFUSE_UPLOADS[dialect]:
        await api.session.execute(text(statement))
    await api.session.commit()
    try:
        response = await api.http.post(
            "/uploads", content=JPEG, headers={"content-type": "image/jpeg"}
        )
    finally:
        for statement in ALLOW_UPLOADS[dialect]:
            await api.session.execute(text(statement))
        await api.session.commit()
    assert response.status_code == 503
    assert response.json()["error"] == "照片未保存，请重试"
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []
