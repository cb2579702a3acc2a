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

        register_counter = getattr(hooks, "register_mentoring_sessions_counter", None)
        if register_counter is not None:
            register_counter(learning_hooks.count_sessions_for_course)
        register_upcoming = getattr(hooks, "register_upcoming_sessions_provider", None)
        if register_upcoming is not None:
            register_upcoming(learning_hooks.upcoming_for_dashboard)
