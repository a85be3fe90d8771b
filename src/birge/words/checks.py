"""`birge check` refuses a rules file that cannot be loaded, before anyone types."""

from django.core.checks import Error, register

from birge.words import rules


@register()
def rules_file_check(app_configs, **kwargs) -> list[Error]:
    try:
        rules.rules_in_force()
    except rules.RulesError as exc:
        return [
            Error(str(exc), hint="Correct the language guidance's rules file.", id="words.E001")
        ]
    return []
