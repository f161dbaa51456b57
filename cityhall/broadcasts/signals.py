"""What happens in broadcasts, for the apps above it to react to (they connect receivers in
their AppConfig.ready(); broadcasts never imports them). Sent synchronously; the sender is
Episode."""

from django.dispatch import Signal

# An episode went on air and its followers are to hear of it, with `episode` (its programme
# selected) and `at`, the clock's time. Sent once per episode, inside the transaction of
# do_announce_live_episodes, before the episode is marked as announced.
episode_on_air = Signal()

# A member opened an episode's page, with `episode` and `user`. Sent by the view, outside any
# transaction.
episode_viewed = Signal()
