from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from learning import receivers, signals, views
        from learning.models import (
            CourseCatalogPage,
            CoursePage,
            Enrolment,
            LessonPage,
            QuizAttemptChange,
        )

        # The views import the models, so the models cannot import the views: each page type
        # is handed here the view that serves it (``Page.serve`` calls ``page_view``).
        for page_type, view in (
            (CourseCatalogPage, views.serve_catalogue),
            (CoursePage, views.serve_course),
            (LessonPage, views.serve_lesson),
        ):
            page_type.page_view = staticmethod(view)
        from lib import translations

        translations.keep_slugs(CourseCatalogPage, CoursePage, LessonPage)
        signals.award_requested.connect(
            receivers.request_course_award,
            sender=Enrolment,
            dispatch_uid="learning.request_course_award",
        )
        signals.attempt_requested.connect(
            receivers.email_attempt_request,
            sender=QuizAttemptChange,
            dispatch_uid="learning.email_attempt_request",
        )
        signals.attempt_granted.connect(
            receivers.email_attempt_granted,
            sender=QuizAttemptChange,
            dispatch_uid="learning.email_attempt_granted",
        )
        from credentials import services as credentials
        from credentials.models import ApprovalRequest

        credentials.approval_decided.connect(
            receivers.award_approved_course,
            sender=ApprovalRequest,
            dispatch_uid="learning.award_approved_course",
        )
