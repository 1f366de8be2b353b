"""Which new passwords are refused (NIST SP 800-63B: a minimum length, and no password that is
common, repetitive or the account's own email address). Pure: no Flask, no database."""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 10
#: Fewer different characters than this ("aaaaaaaaaa", "abababab12") is a pattern, not a secret.
MIN_DISTINCT_CHARACTERS = 5

#: Passwords of 10 or more characters near the top of published breach lists (shorter ones are
#: refused by length already), plus the words a school's staff would reach for first. Compared
#: case-insensitively.
COMMON_PASSWORDS = frozenset(
    """
    1234567890 0987654321 1234567891 12345678910 123456789a 1q2w3e4r5t 1qaz2wsx3edc
    qwertyuiop asdfghjkl; zxcvbnm123 qwerty1234 qwerty12345 qwertyuiop1 1q2w3e4r5t6y
    password12 password123 password1234 password12345 passw0rd123 p@ssw0rd123 password01
    iloveyou12 iloveyou123 princess12 sunshine12 football12 football123 baseball12
    welcome123 welcome1234 letmein123 monkey1234 dragon1234 master1234 superman12
    abc1234567 abcdefghij abcd123456 1234abcd12 trustno1234 starwars12 whatever12
    administrator admin12345 admin123456 changeme12 changeme123 default123 temppassword
    september1 september12 christmas1 christmas12 january2024 january2025 summer2024
    summer2025 winter2024 winter2025 autumn2024 autumn2025 spring2024 spring2025
    school1234 school12345 teacher123 teacher1234 teachingassistant headteacher
    classroom1 classroom12 education1 education12 safeguarding safeguarding1 recruitment
    recruitment1 jdtool1234 jdtooladmin correcthorse correcthorsebatterystaple
    """.split()  # noqa: SIM905 - a word list reads best as words, not 80 quoted strings
)


def password_problem(password: str, email: str = "") -> str | None:
    """Why `password` may not be used, in one sentence; None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
    folded = password.casefold()
    if len(set(folded)) < MIN_DISTINCT_CHARACTERS:
        return "The password repeats a few characters; choose one that is harder to guess."
    if folded in COMMON_PASSWORDS or folded.rstrip("0123456789!?.") in COMMON_PASSWORDS:
        return "That password is on a list of common passwords; choose another."
    address = email.casefold()
    if folded.rstrip("0123456789!?.") in {address, address.split("@")[0]}:
        return "The password is the email address; choose another."
    return None
