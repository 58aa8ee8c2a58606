"""The questions, one screen each, in the order `FLOW` asks them.

A question that only means something for some answers (the recurrence, when the plan builds a scheduler) says so
with its predicate here, so no screen branches on another screen's answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from screens.draft import Draft
from screens.questions.cloud_screen import CloudScreen
from screens.questions.names_screen import NamesScreen
from screens.questions.options_screen import OptionsScreen
from screens.questions.os_screen import OsScreen
from screens.questions.question_screen import QuestionScreen
from screens.questions.recurrence_screen import RecurrenceScreen
from screens.questions.region_screen import RegionScreen
from screens.questions.scheduler_screen import SchedulerScreen
from screens.questions.subscription_screen import SubscriptionScreen


def _always(draft: Draft) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    screen: type[QuestionScreen]
    asked: Callable[[Draft], bool] = _always


FLOW = (
    Question(CloudScreen),
    Question(SubscriptionScreen),
    Question(RegionScreen),
    Question(NamesScreen),
    Question(OsScreen),
    Question(SchedulerScreen),
    Question(RecurrenceScreen, Draft.schedules),
    Question(OptionsScreen),
)


def asked(draft: Draft) -> list[type[QuestionScreen]]:
    """The question screens these answers call for, in order."""
    return [question.screen for question in FLOW if question.asked(draft)]


def asking(field: str) -> type[QuestionScreen]:
    """The screen that asks for an answer field (to amend it after a failure)."""
    return next(question.screen for question in FLOW if field in question.screen.fields)


__all__ = [
    "FLOW",
    "CloudScreen",
    "NamesScreen",
    "OptionsScreen",
    "OsScreen",
    "Question",
    "RecurrenceScreen",
    "RegionScreen",
    "SchedulerScreen",
    "SubscriptionScreen",
    "asked",
    "asking",
]
