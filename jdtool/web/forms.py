"""Web forms (Flask-WTF; each carries its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from ..importing import MAX_FILE_BYTES, SUPPORTED_SUFFIXES

MAX_FILE_MB = MAX_FILE_BYTES // 1024 // 1024


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField("New password", validators=[DataRequired("Enter a new password.")])


class ImportForm(FlaskForm):
    document = FileField(
        "Job description file",
        description=(
            f"A Word (.docx), text (.txt) or Markdown (.md) file of up to {MAX_FILE_MB} MB."
        ),
        validators=[
            FileRequired("Choose a file to import."),
            FileAllowed(
                [suffix.lstrip(".") for suffix in SUPPORTED_SUFFIXES],
                "Only Word (.docx), text (.txt) and Markdown (.md) files can be imported.",
            ),
        ],
    )
