from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from django.core.signals import request_started

        from mentoring import checks, receivers, signals  # noqa: F401 - checks registers
        from mentoring.conf import settings as conf
        from mentoring.models import MentorSession

        conf.check()  # a malformed setting stops start-up, not each request that reads it
        for signal, receiver in (
            (signals.session_changed, receivers.send_invitation),
            (signals.session_completed, receivers.count_completed_session),
            (signals.session_completed, receivers.ask_for_feedback),
            (signals.session_rated, receivers.evaluate_programmes),
        ):
            signal.connect(
                receiver, sender=MentorSession, dispatch_uid=f"mentoring.{receiver.__name__}"
            )
        # Without Celery beat (make run): due reminders and feedback requests from a thread.
        request_started.connect(
            receivers.run_due_work_in_process, dispatch_uid="mentoring.run_due_work_in_process"
        )
        self._offer_to_learning()

    def _offer_to_learning(self) -> None:
        """Offer mentoring to the learning app through its hooks, when it has them."""
        try:
            from learning import hooks
        except ImportError:
            return
        from mentoring import learning_hooks

        hooks.register_mentoring_sessions_counter(
            learning_hooks.count_sessions_for_course, many=learning_hooks.count_sessions_for_courses
        )
        hooks.register_upcoming_sessions_provider(learning_hooks.upcoming_for_dashboard)
