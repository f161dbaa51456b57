import asyncio

import pytest

from cityhall.realtime.layers import LocalChannelLayer


def test_a_group_message_reaches_every_member_once():
    async def scenario() -> None:
        layer = LocalChannelLayer()
        viewers = [await layer.new_channel() for _ in range(500)]
        for channel in viewers:
            await layer.group_add("episode.1", channel)
        await layer.group_add("episode.2", "specific.other!x")
        await layer.group_send("episode.1", {"type": "comments.batch", "text": "こんにちは"})
        received = [await layer.receive(channel) for channel in viewers]
        assert [m["text"] for m in received] == ["こんにちは"] * 500
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await layer.receive("specific.other!x")

    asyncio.run(scenario())


def test_a_viewer_too_far_behind_misses_messages_without_stopping_the_others():
    async def scenario() -> None:
        layer = LocalChannelLayer(capacity=2)
        slow, fast = await layer.new_channel(), await layer.new_channel()
        for channel in (slow, fast):
            await layer.group_add("episode.1", channel)
        for n in range(3):
            await layer.group_send("episode.1", {"type": "x", "n": n})
            assert (await layer.receive(fast))["n"] == n
        assert [(await layer.receive(slow))["n"] for _ in range(2)] == [0, 1]

    asyncio.run(scenario())


def test_messages_left_waiting_expire_and_the_channel_leaves_its_groups():
    async def scenario() -> None:
        layer = LocalChannelLayer(expiry=0)
        gone = await layer.new_channel()
        await layer.group_add("episode.1", gone)
        await layer.group_send("episode.1", {"type": "x"})
        layer._cleaned_at = 0.0  # the once-a-second scan is due
        await layer.group_send("episode.1", {"type": "y"})
        assert gone not in layer.groups.get("episode.1", {})

    asyncio.run(scenario())
