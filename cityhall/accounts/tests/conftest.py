import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def no_throttling_left_over():
    """Throttling counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()
