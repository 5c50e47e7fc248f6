from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from ratsinfo.bodies.models import Body
from ratsinfo.corpus.demo import build_demo
from ratsinfo.search.indexing import rebuild


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Body]:
    """The demo municipality with a built search index, shared by a module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        body = build_demo()
        rebuild()
        yield body
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_db: Body, db: Any) -> Body:
    return demo_db
