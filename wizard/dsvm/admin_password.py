"""The VM admin password as a run-time secret: when it is needed, how it is asked, and Azure's rules for it.

Windows always signs in with a password; Linux only when the user insists (`linux_password_login`), since
SSH keys are the default there. The password is typed (or read from the environment) for each run that has
to create the VM, and never stored.
"""

from __future__ import annotations

from wizard import rules
from wizard.answers import Answers, VmOs
from wizard.names import names_for
from wizard.secret_inputs import SecretSpec

NAME = "vm-admin-password"
ENV_VAR = "SCORING_WIZARD_VM_PASSWORD"


def needed(answers: Answers) -> bool:
    return answers.vm_os is VmOs.WINDOWS or answers.linux_password_login


def spec(answers: Answers) -> SecretSpec:
    user = answers.admin_username

    def validate(password: str) -> str | None:
        problem = rules.password_problem(password)
        if problem is None and user.lower() in password.lower():
            problem = f"the password must not contain the user name {user}"
        return problem

    return SecretSpec(
        name=NAME,
        prompt=f"Password for {user} on {names_for(answers).vm}",
        env_var=ENV_VAR,
        validate=validate,
        rule=f"{rules.PASSWORD_RULE}; not containing {user}",
    )
