"""With REDIS_URL set, the cache and cached sessions live in Redis, so any app server can
answer; the sessions are also in the database, so a Redis restart signs nobody out.

Two Django test clients stand for two browsers; the session written while answering one
request is read back from Redis on the next, with the local cache out of the picture.
"""

import os

import pytest
import redis
from django.core.cache import caches

REDIS_URL = os.environ.get("BIRGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_settings(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (.ci/run starts one)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "birge-test",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield settings
    caches["default"].clear()


def test_a_signed_in_session_is_kept_in_redis(client, officer, sign_in, redis_settings):
    sign_in(client, officer)
    session_key = client.cookies["birge_session"].value
    stored = redis.Redis.from_url(REDIS_URL).keys(f"birge-test:*{session_key}*")
    assert stored, "the session should be stored in Redis"
    assert client.get("/").status_code == 200


def test_signing_out_removes_the_session_from_redis(client, officer, sign_in, redis_settings):
    sign_in(client, officer)
    session_key = client.cookies["birge_session"].value
    client.post("/account/logout/")
    assert not redis.Redis.from_url(REDIS_URL).keys(f"birge-test:*{session_key}*")
    assert client.get("/").status_code == 302


def test_a_redis_restart_signs_nobody_out(client, officer, sign_in, redis_settings):
    sign_in(client, officer)
    assert client.get("/").status_code == 200

    redis.Redis.from_url(REDIS_URL).flushdb()  # what a restart without persistence leaves

    assert client.get("/").status_code == 200
    assert client.get("/cases/").status_code == 200
