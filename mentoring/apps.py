from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        """Offer mentoring to the learning app through its hooks, when it has them."""
        try:
            from learning import hooks
        except ImportError:
            return
        from . import learning_hooks

        hooks.register_mentoring_sessions_counter(
            learning_hooks.count_sessions_for_course, many=learning_hooks.count_sessions_for_courses
        )
        hooks.register_upcoming_sessions_provider(learning_hooks.upcoming_for_dashboard)
