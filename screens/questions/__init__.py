"""The questions, one screen each, in the order `FLOW` asks them."""

from __future__ import annotations

from screens.questions.cloud_screen import CloudScreen
from screens.questions.names_screen import NamesScreen
from screens.questions.options_screen import OptionsScreen
from screens.questions.os_screen import OsScreen
from screens.questions.region_screen import RegionScreen
from screens.questions.scheduler_screen import SchedulerScreen
from screens.questions.subscription_screen import SubscriptionScreen

FLOW = (CloudScreen, SubscriptionScreen, RegionScreen, NamesScreen, OsScreen, SchedulerScreen, OptionsScreen)

__all__ = [
    "FLOW",
    "CloudScreen",
    "NamesScreen",
    "OptionsScreen",
    "OsScreen",
    "RegionScreen",
    "SchedulerScreen",
    "SubscriptionScreen",
]
