from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.measures.factories import World, build_world, editor


@pytest.fixture
def world(body: Any) -> World:
    return build_world(body)


@pytest.fixture
def quartiersmanager(db: Any) -> User:
    return editor("quartiersmanagerin", "Quartiersmanagement")


@pytest.fixture
def qm_client(quartiersmanager: User) -> Client:
    client = Client()
    client.force_login(quartiersmanager)
    return client
