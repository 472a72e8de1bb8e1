"""Each test gets an empty database of each backend, at the newest schema."""

import pytest

from study.db import Store
from study.migrate import upgrade
from tests.databases import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture()
def store(database_url):
    store = Store(database_url)
    upgrade(store.engine)
    yield store
    store.dispose()
